// A question as a native checkbox group: fieldset + legend + one checkbox per choice.
// pageUniqueId, messageLine, drawOptionInputs and showAndFollow: shared.js, put before this file.

function render({ model, el }) {
  const name = pageUniqueId("rw-check");

  const fieldset = document.createElement("fieldset");
  fieldset.className = "rw-choice rw-check";
  const legend = document.createElement("legend");
  const hint = document.createElement("p");
  hint.className = "rw-hint";
  const list = document.createElement("div");
  list.className = "rw-choice-options rw-check-options";
  const message = messageLine();
  fieldset.append(legend, hint, list, message);

  let boxes = [];
  function drawOptions() {
    boxes = drawOptionInputs(list, model.get("options"), "checkbox", name, () => {
      const ticked = boxes.filter((b) => b.checked).map((b) => b.value);
      model.set("value", ticked);
      model.save_changes();
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
  model.on("change:options", () => {
    drawOptions();
    sync();
  });
  return showAndFollow(model, el, fieldset, "change:value change:message change:question change:hint", sync);
}

export default { render };
