// A question as a native checkbox group: fieldset + legend + one checkbox per choice.
// Ids tie labels to inputs and group radios. Each widget loads its own copy of
// this module, so a module-level counter would restart: use random ids instead.
const pageUniqueId = (prefix) => `${prefix}-${crypto.getRandomValues(new Uint32Array(2)).join("-")}`;

function render({ model, el }) {
  const name = pageUniqueId("rw-check");

  const fieldset = document.createElement("fieldset");
  fieldset.className = "rw-choice rw-check";
  const legend = document.createElement("legend");
  const hint = document.createElement("p");
  hint.className = "rw-hint";
  const list = document.createElement("div");
  list.className = "rw-choice-options rw-check-options";
  const message = document.createElement("p");
  message.className = "rw-message";
  message.setAttribute("role", "status");
  fieldset.append(legend, hint, list, message);

  let boxes = [];
  function drawOptions() {
    list.replaceChildren();
    boxes = model.get("options").map(([optionId, label], index) => {
      const row = document.createElement("label");
      row.className = "rw-choice-option";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = optionId;
      box.id = `${name}-${index}`;
      box.addEventListener("change", () => {
        const ticked = boxes.filter((b) => b.checked).map((b) => b.value);
        model.set("value", ticked);
        model.save_changes();
      });
      const text = document.createElement("span");
      text.textContent = label;
      row.append(box, text);
      list.append(row);
      return box;
    });
  }
  function sync() {
    legend.textContent = model.get("question");
    hint.textContent = model.get("hint");
    hint.hidden = !model.get("hint");
    const chosen = new Set(model.get("value"));
    for (const box of boxes) {
      box.checked = chosen.has(box.value);
    }
    message.textContent = model.get("message");
  }
  drawOptions();
  sync();
  model.on("change:options", () => {
    drawOptions();
    sync();
  });
  model.on("change:value change:message change:question change:hint", sync);
  el.append(fieldset);
  return () => model.off(null, null, null);
}

export default { render };
