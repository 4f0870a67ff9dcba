// A labelled text area with its limit shown; sends the text as the person types.
let noteCount = 0;
const SEND_AFTER_MS = 400;

function render({ model, el }) {
  noteCount += 1;
  const id = `rw-note-${noteCount}-${Date.now().toString(36)}`;

  const wrap = document.createElement("div");
  wrap.className = "rw-note";
  const label = document.createElement("label");
  label.htmlFor = id;
  const area = document.createElement("textarea");
  area.id = id;
  area.rows = 4;
  const counter = document.createElement("p");
  counter.className = "rw-note-count";
  counter.id = `${id}-count`;
  area.setAttribute("aria-describedby", counter.id);
  const message = document.createElement("p");
  message.className = "rw-message";
  message.setAttribute("role", "status");
  wrap.append(label, area, counter, message);

  let timer = null;
  function send() {
    clearTimeout(timer);
    timer = null;
    if (model.get("value") !== area.value) {
      model.set("value", area.value);
      model.save_changes();
    }
  }
  function showCount() {
    const limit = model.get("max_length");
    counter.textContent = `${area.value.length} of ${limit.toLocaleString()} characters`;
  }
  area.addEventListener("input", () => {
    showCount();
    clearTimeout(timer);
    timer = setTimeout(send, SEND_AFTER_MS);
  });
  area.addEventListener("blur", send);

  function sync() {
    label.textContent = model.get("label");
    area.maxLength = model.get("max_length");
    if (timer === null && area.value !== model.get("value")) {
      area.value = model.get("value");
    }
    message.textContent = model.get("message");
    showCount();
  }
  sync();
  model.on("change:value change:label change:max_length change:message", sync);
  el.append(wrap);
  return () => {
    send();
    model.off(null, null, null);
  };
}

export default { render };
