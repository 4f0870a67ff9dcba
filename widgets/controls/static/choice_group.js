// A question as a native radio group: fieldset + legend + one radio per choice.
// pageUniqueId, messageLine, drawOptionInputs and showAndFollow: shared.js, put before this file.

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

  const message = messageLine();
  fieldset.append(message);

  let inputs = [];

  function drawOptions() {
    inputs = drawOptionInputs(list, model.get("options"), "radio", name, (input) => {
      if (input.checked) {
        model.set("value", input.value);
        model.save_changes();
      }
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
  model.on("change:options", () => {
    drawOptions();
    sync();
  });
  const changes = "change:value change:message change:question change:clear_label";
  return showAndFollow(model, el, fieldset, changes, sync);
}

export default { render };
