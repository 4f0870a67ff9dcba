// What the answering controls' scripts share. Each widget loads its module on its own, from the
// text it is given, so there is nothing to import from: the server puts this file before each one.

// Ids tie labels to inputs and group radios. Each widget loads its own copy of
// this module, so a module-level counter would restart: use random ids instead.
const pageUniqueId = (prefix) => `${prefix}-${crypto.getRandomValues(new Uint32Array(2)).join("-")}`;

// The line under a control that says, in plain words, why the last change was not kept.
function messageLine() {
  const message = document.createElement("p");
  message.className = "rw-message";
  message.setAttribute("role", "status");
  return message;
}

// One labelled input of `type` per [id, label] option, in `list` (emptied first), all named `name`;
// `onChange(input)` runs when one changes. Returns the inputs, in the options' order.
function drawOptionInputs(list, options, type, name, onChange) {
  list.replaceChildren();
  return options.map(([optionId, label], index) => {
    const row = document.createElement("label");
    row.className = "rw-choice-option";
    const input = document.createElement("input");
    input.type = type;
    input.name = name;
    input.value = optionId;
    input.id = `${name}-${index}`;
    input.addEventListener("change", () => onChange(input));
    const text = document.createElement("span");
    text.textContent = label;
    row.append(input, text);
    list.append(row);
    return input;
  });
}

// Puts `root` on the page, shown as the model is now and again after each of `changes`; the
// returned clean-up stops listening when the view goes.
function showAndFollow(model, el, root, changes, sync) {
  sync();
  model.on(changes, sync);
  el.append(root);
  return () => model.off(null, null, null);
}
