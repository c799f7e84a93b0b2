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
  return Array.from(document.querySelectorAll(selector)).map((el) => {
    const canvases = Array.from(el.querySelectorAll("canvas"));
    const box = el.getBoundingClientRect();
    return {
      id: el.id || "",
      canvases: canvases.length,
      nonEmpty: canvases.some(drawn),
      width: Math.round(box.width),
      height: Math.round(box.height),
    };
  });
}
