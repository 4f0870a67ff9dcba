// A labelled number input with its range stated; empty means skipped.
// Ids tie labels to inputs and group radios. Each widget loads its own copy of
// this module, so a module-level counter would restart: use random ids instead.
const pageUniqueId = (prefix) => `${prefix}-${crypto.getRandomValues(new Uint32Array(2)).join("-")}`;

function render({ model, el }) {
  const id = pageUniqueId("rw-number");
  const wrap = document.createElement("div");
  wrap.className = "rw-number";
  const label = document.createElement("label");
  label.htmlFor = id;
  const row = document.createElement("div");
  row.className = "rw-number-row";
  const input = document.createElement("input");
  input.type = "number";
  input.id = id;
  input.inputMode = "decimal";
  const unit = document.createElement("span");
  unit.className = "rw-unit";
  unit.id = `${id}-unit`;
  input.setAttribute("aria-describedby", unit.id);
  row.append(input, unit);
  const message = document.createElement("p");
  message.className = "rw-message";
  message.setAttribute("role", "status");
  wrap.append(label, row, message);

  function send() {
    const text = input.value.trim();
    const number = text === "" ? null : Number(text);
    if (number !== null && Number.isNaN(number)) return;
    if (number !== model.get("value")) {
      model.set("value", number);
      model.save_changes();
    }
  }
  input.addEventListener("change", send);
  input.addEventListener("blur", send);

  function sync() {
    label.textContent = model.get("label");
    input.min = model.get("minimum");
    input.max = model.get("maximum");
    input.step = model.get("step");
    const range = model
      .get("range_words")
      .replace("{minimum}", String(model.get("minimum")))
      .replace("{maximum}", String(model.get("maximum")));
    unit.textContent = `${model.get("unit")} ${range}`;
    const value = model.get("value");
    if (document.activeElement !== input) {
      input.value = value === null ? "" : String(value);
    }
    message.textContent = model.get("message");
  }
  sync();
  model.on("change:value change:label change:unit change:minimum change:maximum change:message", sync);
  el.append(wrap);
  return () => model.off(null, null, null);
}

export default { render };
