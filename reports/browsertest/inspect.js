function inspect(selector) {
  const drawn = (canvas) => {
    const w = canvas.width, h = canvas.height;
    if (!w || !h) return false;
    const scratch = document.createElement("canvas");
    scratch.width = w;
    scratch.height = h;
    const ctx = scratch.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(canvas, 0, 0);
    const px = new Uint32Array(ctx.getImageData(0, 0, w, h).data.buffer);
    const first = px[0];
    for (let i = 1; i < px.length; i++) {
      if (px[i] !== first) return true;
    }
    return false;
  };
  // An SVG drawing counts as drawn when one of its shapes or texts is
  // visible: painted (fill or stroke not "none" nor transparent) and of
  // non-zero size. ECharts' SVG renderer starts with a background rect of
  // fill "none", which does not count.
  const painted = (el) => {
    const s = getComputedStyle(el);
    const visible = (v) => v && v !== "none" && v !== "transparent" && v !== "rgba(0, 0, 0, 0)";
    if (s.visibility === "hidden" || s.display === "none" || s.opacity === "0") return false;
    if (!visible(s.fill) && !visible(s.stroke)) return false;
    const b = el.getBoundingClientRect();
    return b.width > 0 || b.height > 0;
  };
  const svgDrawn = (svg) =>
    Array.from(svg.querySelectorAll("path, rect, circle, ellipse, line, polyline, polygon, text")).some(painted);
  return Array.from(document.querySelectorAll(selector)).map((el) => {
    const canvases = Array.from(el.querySelectorAll("canvas"));
    const svgs = Array.from(el.querySelectorAll("svg"));
    const box = el.getBoundingClientRect();
    return {
      id: el.id || "",
      canvases: canvases.length,
      svgs: svgs.length,
      nonEmpty: canvases.some(drawn) || svgs.some(svgDrawn),
      width: Math.round(box.width),
      height: Math.round(box.height),
    };
  });
}
