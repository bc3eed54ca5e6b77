// Runs the sign-in in a module Worker; the page only relays the confirm step.
window.run = (baseUrl, options) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    worker.onmessage = async ({ data }) => {
      if (data.confirm) {
        await window.confirmInHarness(data.confirm);
        worker.postMessage({ confirmed: true });
      } else if (data.error) {
        reject(new Error(data.error));
      } else {
        resolve(data.result);
      }
    };
    worker.onerror = (event) => reject(new Error(`worker: ${event.message}`));
    worker.postMessage({ baseUrl, options });
  });
