async function settle(selector, timeoutMs) {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const signature = () =>
    Array.from(document.querySelectorAll(selector))
      .map((el) =>
        Array.from(el.querySelectorAll("canvas"))
          .map((c) => c.width + "x" + c.height + ":" + (c.width && c.height ? c.toDataURL() : ""))
          .concat(Array.from(el.querySelectorAll("svg")).map((s) => s.outerHTML))
          .join("|"))
      .join("||");
  const deadline = performance.now() + timeoutMs;
  let previous = null;
  let stable = 0;
  while (performance.now() < deadline) {
    await frame();
    await sleep(50);
    const current = signature();
    if (current === previous) {
      if (++stable >= 2) return true;
    } else {
      stable = 0;
      previous = current;
    }
  }
  return false;
}
