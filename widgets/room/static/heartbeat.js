// Invisible: asks the kernel to look for news every few seconds, and keeps
// chosen query parameters in the page's address.
function render({ model, el }) {
  let timer = null;
  let count = 0;
  const tick = () => {
    count += 1;
    try {
      model.send({ tick: count });
    } catch (error) {
      // The page is being left and its kernel let go (page.js): nothing more to ask for.
      clearInterval(timer);
      timer = null;
    }
  };
  function schedule() {
    clearInterval(timer);
    timer = null;
    if (model.get("active")) {
      timer = setInterval(tick, model.get("interval_ms"));
    }
  }
  function keepAddress() {
    const wanted = model.get("address");
    const url = new URL(window.location.href);
    let changed = false;
    for (const [name, value] of Object.entries(wanted)) {
      if (value && url.searchParams.get(name) !== value) {
        url.searchParams.set(name, value);
        changed = true;
      } else if (!value && url.searchParams.has(name)) {
        url.searchParams.delete(name);
        changed = true;
      }
    }
    if (changed) {
      window.history.replaceState(window.history.state, "", url);
    }
  }
  // A phone that comes back to the page catches up at once.
  const onVisible = () => {
    if (document.visibilityState === "visible" && model.get("active")) tick();
  };
  document.addEventListener("visibilitychange", onVisible);
  model.on("change:active", schedule);
  model.on("change:interval_ms", schedule);
  model.on("change:address", keepAddress);
  schedule();
  keepAddress();
  el.hidden = true;
  return () => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisible);
    model.off(null, null, null);
  };
}

export default { render };
