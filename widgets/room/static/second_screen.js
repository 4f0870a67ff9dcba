// "Present on another screen": a window of its own for the projector (widgets/server/slides_window.py),
// fed by this page. The window has no kernel and no secret: this script hands it each slide through a
// BroadcastChannel (same origin only), and hands the kernel its key presses. The channel's name is kept
// for this tab, so a reloaded console finds the window it opened.
const PATTERN = /^[A-Za-z0-9-]{8,64}$/;
const KEPT = "rw-slides-channel";

function channelId() {
  let id = "";
  try {
    id = sessionStorage.getItem(KEPT) || "";
  } catch (error) {
    id = "";
  }
  if (!PATTERN.test(id)) {
    id = crypto.randomUUID();
    try {
      sessionStorage.setItem(KEPT, id);
    } catch (error) {
      // Storage refused (a private window's rules): the channel lasts as long as this page.
    }
  }
  return id;
}

function render({ model, el }) {
  const id = channelId();
  const button = document.createElement("button");
  button.type = "button";
  button.className = "rw-button rw-second-screen-button";
  const note = document.createElement("p");
  note.className = "rw-second-screen-note";
  note.setAttribute("role", "status");
  el.append(button, note);
  let channel = null;
  let slidesWindow = null;
  let open = false;

  const show = (isOpen, words = "") => {
    open = isOpen;
    button.textContent = model.get(isOpen ? "stop_label" : "label");
    note.textContent = words || (isOpen ? model.get("on_note") : "");
    el.classList.toggle("rw-second-screen-open", isOpen);
  };
  const post = (message) => channel && channel.postMessage(message);
  const sendSlide = () => post({ type: "slide", markup: model.get("markup") });
  const received = ({ data }) => {
    if (!data || typeof data !== "object") return;
    if (data.type === "hello") {
      model.send({ window: "open" });
      show(true);
      sendSlide();
    } else if (data.type === "step" && (data.step === 1 || data.step === -1)) {
      model.send({ step: data.step });
    } else if (data.type === "closed") {
      model.send({ window: "closed" });
      show(false);
    }
  };
  const listen = () => {
    if (channel) return;
    channel = new BroadcastChannel(`rw-slides-${id}`);
    channel.onmessage = received;
  };
  const openWindow = () => {
    listen();
    // The server's base address, as the page template gives it to every page ("/" + "voila/").
    const base = (document.body.dataset.baseUrl || "/voila/").replace(/voila\/$/, "");
    const language = encodeURIComponent(model.get("language"));
    const address = `${base}workbook/slides?lang=${language}#${id}`;
    slidesWindow = window.open(address, `rw-slides-${id}`, "popup=yes,width=1280,height=720");
    if (!slidesWindow) {
      show(false, model.get("blocked_note"));
      return;
    }
    model.send({ window: "open" });
    show(true);
  };
  const closeWindow = () => {
    post({ type: "end" });
    if (slidesWindow && !slidesWindow.closed) slidesWindow.close();
    model.send({ window: "closed" });
    show(false);
  };
  button.addEventListener("click", () => (open ? closeWindow() : openWindow()));
  model.on("change:markup", sendSlide);
  model.on("change:ended", () => model.get("ended") && open && closeWindow());
  model.on("change:label change:stop_label change:on_note", () => show(open));
  // A window this tab opened before a reload says hello again once it hears this page.
  listen();
  post({ type: "console" });
  show(false);
  return () => {
    model.off("change:markup", sendSlide);
    if (channel) channel.close();
  };
}

export default { render };
