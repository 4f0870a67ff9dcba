// A question as a native radio group: fieldset + legend + one radio per choice.
// Ids tie labels to inputs and group radios. Each widget loads its own copy of
// this module, so a module-level counter would restart: use random ids instead.
const pageUniqueId = (prefix) => `${prefix}-${crypto.getRandomValues(new Uint32Array(2)).join("-")}`;

function render({ model, el }) {
  const name = pageUniqueId("rw-choice");

  const fieldset = document.createElement("fieldset");
  fieldset.className = "rw-choice";
  const legend = document.createElement("legend");
  fieldset.append(legend);

  const list = document.createElement("div");
  list.className = "rw-choice-options";
  fieldset.append(list);

  const clear = document.createElement("button");
  clear.type = "button";
  clear.className = "rw-clear";
  clear.addEventListener("click", () => {
    model.set("value", null);
    model.save_changes();
  });
  fieldset.append(clear);

  const message = document.createElement("p");
  message.className = "rw-message";
  message.setAttribute("role", "status");
  fieldset.append(message);

  let inputs = [];

  function drawOptions() {
    list.replaceChildren();
    inputs = model.get("options").map(([optionId, label], index) => {
      const row = document.createElement("label");
      row.className = "rw-choice-option";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      input.value = optionId;
      input.id = `${name}-${index}`;
      input.addEventListener("change", () => {
        if (input.checked) {
          model.set("value", optionId);
          model.save_changes();
        }
      });
      const text = document.createElement("span");
      text.textContent = label;
      row.append(input, text);
      list.append(row);
      return input;
    });
  }

  function sync() {
    legend.textContent = model.get("question");
    clear.textContent = model.get("clear_label");
    const value = model.get("value");
    for (const input of inputs) {
      input.checked = input.value === value;
    }
    clear.hidden = value === null;
    message.textContent = model.get("message");
  }

  drawOptions();
  sync();
  model.on("change:options", () => {
    drawOptions();
    sync();
  });
  model.on("change:value change:message change:question change:clear_label", sync);
  el.append(fieldset);
  return () => model.off(null, null, null);
}

export default { render };
