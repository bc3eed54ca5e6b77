// The page looks up every element it uses once, at start-up (www/elements.js), so a
// renamed or deleted element stops the page at load. This checks the same list against
// index.html here, so such a change fails the test command before any browser runs.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { ELEMENTS, lookUp } from "../../www/elements.js";

const WWW = new URL("../../www/", import.meta.url);
const HTML = readFileSync(new URL("index.html", WWW), "utf8");

/** Every `id` in `html` with the tag of its element, in document order. */
function idsIn(html) {
  const found = [];
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, "");
  for (const [, tag, attributes] of withoutComments.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*)>/g)) {
    const id = /\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/.exec(attributes);
    if (id) found.push({ id: id[1] ?? id[2] ?? id[3], tag: tag.toLowerCase() });
  }
  return found;
}

/** A document with `elements`, enough for lookUp. */
function fakeDocument(elements) {
  return { getElementById: (id) => elements.find((e) => e.id === id) ?? null };
}

describe("index.html", () => {
  const ids = idsIn(HTML);

  it("is parsed: the helper finds ids with their tags", () => {
    assert.deepEqual(idsIn('<p id="a">x</p><!-- <b id="c"> --><INPUT type=radio id=b>'), [
      { id: "a", tag: "p" },
      { id: "b", tag: "input" },
    ]);
    assert.ok(ids.length >= Object.keys(ELEMENTS).length, `only ${ids.length} ids in index.html`);
  });

  for (const [name, [id, tag]] of Object.entries(ELEMENTS)) {
    it(`has the <${tag} id="${id}"> the scripts use as el.${name}`, () => {
      const matches = ids.filter((found) => found.id === id);
      assert.equal(matches.length, 1, `${matches.length} elements with id "${id}"`);
      assert.equal(matches[0].tag, tag);
    });
  }

  it("gives no two elements the same id", () => {
    const seen = ids.map((found) => found.id);
    assert.deepEqual(
      seen.filter((id, i) => seen.indexOf(id) !== i),
      [],
    );
  });

  it("has one radio per way to confirm, each in ELEMENTS", () => {
    const radios = [...HTML.matchAll(/<input\b[^>]*\bname="mode"[^>]*>/g)].map((m) => m[0]);
    const values = radios.map((radio) => /\bvalue="([^"]*)"/.exec(radio)?.[1]);
    assert.deepEqual(values, ["new-tab", "same-tab", "email"]);
    for (const radio of radios) {
      const id = /\bid="([^"]*)"/.exec(radio)?.[1];
      assert.ok(
        Object.values(ELEMENTS).some(([known]) => known === id),
        `${radio} is not in ELEMENTS`,
      );
    }
  });
});

describe("the page's scripts", () => {
  it("look elements up only through elements.js", () => {
    const scripts = readdirSync(WWW).filter((file) => file.endsWith(".js") && file !== "elements.js");
    assert.ok(scripts.includes("view.js") && scripts.includes("app.js"), scripts.join(" "));
    for (const file of scripts) {
      const text = readFileSync(new URL(file, WWW), "utf8");
      assert.doesNotMatch(
        text,
        /getElementById|querySelector|getElementsBy|\.elements\b/,
        `${file} looks an element up`,
      );
    }
  });
});

describe("lookUp", () => {
  const spec = { name: ["name-input", "input"], go: ["go", "button"] };

  it("returns every element by its name", () => {
    const input = { id: "name-input", localName: "input" };
    const button = { id: "go", localName: "button" };
    assert.deepEqual(lookUp(spec, fakeDocument([input, button])), { name: input, go: button });
  });

  it("throws, naming the id, when an element is missing", () => {
    const doc = fakeDocument([{ id: "name-input", localName: "input" }]);
    assert.throws(() => lookUp(spec, doc), {
      message: 'The page has no element with id "go" (the scripts use it as el.go).',
    });
  });

  it("throws, naming both tags, when an element has another tag", () => {
    const doc = fakeDocument([
      { id: "name-input", localName: "textarea" },
      { id: "go", localName: "button" },
    ]);
    assert.throws(() => lookUp(spec, doc), {
      message: "#name-input is a <textarea>; the scripts need a <input> (el.name).",
    });
  });
});
