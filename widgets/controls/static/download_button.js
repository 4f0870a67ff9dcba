// A button that asks the kernel for a file and saves what comes back.
function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "rw-download";
  const sync = () => {
    button.textContent = model.get("label");
    button.dataset.sent = String(model.get("sent"));
  };
  button.addEventListener("click", () => model.send({ event: "download" }));
  const onMessage = (message, buffers) => {
    if (!message || message.event !== "file" || !buffers || !buffers.length) return;
    const blob = new Blob([buffers[0]], { type: message.type });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = message.name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    setTimeout(() => {
      URL.revokeObjectURL(link.href);
      link.remove();
    }, 1000);
  };
  model.on("msg:custom", onMessage);
  model.on("change", sync);
  sync();
  el.append(button);
  return () => model.off(null, null, null);
}

export default { render };
