// A labelled text input (one line or a text area) with its limit shown.
// Sends the text as the person types, a moment after they pause.
// Ids tie labels to inputs and group radios. Each widget loads its own copy of
// this module, so a module-level counter would restart: use random ids instead.
const pageUniqueId = (prefix) => `${prefix}-${crypto.getRandomValues(new Uint32Array(2)).join("-")}`;
const SEND_AFTER_MS = 250;

function render({ model, el }) {
  const id = pageUniqueId("rw-text");
  const multiline = model.get("multiline");

  const wrap = document.createElement("div");
  wrap.className = multiline ? "rw-note" : "rw-note rw-line";
  const label = document.createElement("label");
  label.htmlFor = id;
  const hint = document.createElement("p");
  hint.className = "rw-hint";
  hint.id = `${id}-hint`;
  const input = document.createElement(multiline ? "textarea" : "input");
  input.id = id;
  if (multiline) {
    input.rows = 4;
  } else {
    input.type = "text";
    input.autocomplete = "off";
  }
  const counter = document.createElement("p");
  counter.className = "rw-note-count";
  counter.id = `${id}-count`;
  input.setAttribute("aria-describedby", `${hint.id} ${counter.id}`);
  const message = document.createElement("p");
  message.className = "rw-message";
  message.setAttribute("role", "status");
  wrap.append(label, hint, input, counter, message);

  let timer = null;
  function send() {
    clearTimeout(timer);
    timer = null;
    if (model.get("value") !== input.value) {
      model.set("value", input.value);
      model.save_changes();
    }
  }
  function showCount() {
    const limit = model.get("max_length");
    // The page's own language writes the number (2,000 in English, 2000 in Spanish).
    const language = document.documentElement.lang || "en";
    counter.textContent = model
      .get("count_words")
      .replace("{count}", input.value.length.toLocaleString(language))
      .replace("{limit}", limit.toLocaleString(language));
  }
  input.addEventListener("input", () => {
    showCount();
    clearTimeout(timer);
    timer = setTimeout(send, SEND_AFTER_MS);
  });
  input.addEventListener("blur", send);
  if (!multiline) {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") send();
    });
  }

  function sync() {
    label.textContent = model.get("label");
    hint.textContent = model.get("hint");
    hint.hidden = !model.get("hint");
    input.maxLength = model.get("max_length");
    if (timer === null && input.value !== model.get("value")) {
      input.value = model.get("value");
    }
    message.textContent = model.get("message");
    showCount();
  }
  sync();
  model.on("change:value change:label change:hint change:max_length change:message", sync);
  el.append(wrap);
  return () => {
    send();
    model.off(null, null, null);
  };
}

export default { render };
