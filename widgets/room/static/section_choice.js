// The section the group is on, as a native <select> with its <label>: compact on a laptop's console,
// and a screen reader announces the label with the choice. The browser sends the chosen value only;
// the kernel checks it is one of the options.
function render({ model, el }) {
  const id = `rw-section-${crypto.getRandomValues(new Uint32Array(2)).join("-")}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "rw-section-choice-label";
  const select = document.createElement("select");
  select.id = id;
  select.className = "rw-section-choice";
  select.addEventListener("change", () => {
    model.set("value", select.value);
    model.save_changes();
  });
  const message = document.createElement("p");
  message.className = "rw-message";
  message.setAttribute("role", "status");

  const drawOptions = () => {
    select.replaceChildren(
      ...model.get("options").map(([value, words]) => {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = words;
        return option;
      }),
    );
    select.value = model.get("value");
  };
  const sync = () => {
    label.textContent = model.get("label");
    select.value = model.get("value");
    message.textContent = model.get("message");
  };
  drawOptions();
  sync();
  model.on("change:options", drawOptions);
  model.on("change:value change:label change:message", sync);
  el.classList.add("rw-section-choice-box");
  el.append(label, select, message);
}

export default { render };
