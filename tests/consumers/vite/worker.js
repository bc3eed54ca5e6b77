import { signIn } from "../shared/flow.js";

let confirmed = null;
self.onmessage = async ({ data }) => {
  if (data.confirmed) return confirmed?.();
  try {
    const confirm = (confirmUrl) =>
      new Promise((resolve) => {
        confirmed = resolve;
        self.postMessage({ confirm: confirmUrl });
      });
    const result = await signIn(data.baseUrl, confirm, data.options);
    self.postMessage({ result });
  } catch (e) {
    self.postMessage({ error: `${e?.code ?? ""} ${e}` });
  }
};
