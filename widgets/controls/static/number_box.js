// A labelled number input with its range stated; empty means skipped.
// pageUniqueId, messageLine and showAndFollow: shared.js, put before this file.

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
  const message = messageLine();
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
    unit.textContent = `${model.get("unit")} (${model.get("minimum")} to ${model.get("maximum")})`;
    const value = model.get("value");
    if (document.activeElement !== input) {
      input.value = value === null ? "" : String(value);
    }
    message.textContent = model.get("message");
  }
  const changes = "change:value change:label change:unit change:minimum change:maximum change:message";
  return showAndFollow(model, el, wrap, changes, sync);
}

export default { render };
