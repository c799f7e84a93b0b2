function layout() {
  const rect = (el) => {
    const b = el.getBoundingClientRect();
    return { left: b.left + scrollX, top: b.top + scrollY, right: b.right + scrollX, bottom: b.bottom + scrollY };
  };
  const clip = (s) => (s.length > 40 ? s.slice(0, 39) + "…" : s);
  const charts = Array.from(document.querySelectorAll("div.item")).map((el) => {
    const box = rect(el);
    // The drawing's own extent: a canvas or SVG drawn for another size
    // reaches past its container (and is cut off there).
    let drawnRight = box.left, drawnBottom = box.top;
    for (const d of el.querySelectorAll("svg, canvas")) {
      const b = rect(d);
      drawnRight = Math.max(drawnRight, b.right);
      drawnBottom = Math.max(drawnBottom, b.bottom);
    }
    // Every text of an SVG drawing, with its box; tooltips are HTML, not
    // part of the drawing.
    const texts = [];
    for (const t of el.querySelectorAll("svg text")) {
      const s = (t.textContent || "").trim();
      if (!s) continue;
      const st = getComputedStyle(t);
      if (st.display === "none" || st.visibility === "hidden" || st.opacity === "0") continue;
      const b = rect(t);
      if (b.right - b.left < 0.5 || b.bottom - b.top < 0.5) continue;
      texts.push({ s, b });
    }
    const overlaps = [], outside = [];
    for (let i = 0; i < texts.length; i++) {
      const a = texts[i].b;
      const edges = [];
      if (a.left < box.left - 1) edges.push("left");
      if (a.right > box.right + 1) edges.push("right");
      if (a.top < box.top - 1) edges.push("top");
      if (a.bottom > box.bottom + 1) edges.push("bottom");
      if (edges.length) outside.push(clip(texts[i].s) + " (" + edges.join(", ") + ")");
      for (let j = i + 1; j < texts.length; j++) {
        const b = texts[j].b;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        // Text boxes include the font's ascent and descent, so the boxes
        // of the lines of one wrapped label overlap a little; an overlap
        // counts when it is at least 2 px wide and a third of the lower
        // box high.
        const minH = Math.min(a.bottom - a.top, b.bottom - b.top) / 3;
        if (w >= 2 && h >= Math.max(2, minH)) overlaps.push(clip(texts[i].s) + " / " + clip(texts[j].s));
      }
    }
    return { id: el.id || "", box, drawnRight, drawnBottom, texts: texts.length, overlaps, outside };
  });
  // A word of a table cell drawn on more than one line: broken inside the
  // word rather than at a space or after a hyphen or dash. A number with
  // its unit ("47,3 %") counts as one word. Each word is a Range over its
  // characters; its client rects lie on more than one line when it was
  // broken.
  const word = /\d[\d.,]*(\u00a0|\s)?%|[^\s\-\u2010-\u2015\/]+[\-\u2010-\u2015\/]?/g;
  const brokenWords = (cell) => {
    const out = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      word.lastIndex = 0;
      for (let m; (m = word.exec(n.data)); ) {
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        let top = Infinity, bottom = -Infinity;
        for (const b of r.getClientRects()) {
          if (b.width < 0.5) continue;
          top = Math.min(top, b.top);
          bottom = Math.max(bottom, b.top);
        }
        if (bottom - top > 2) out.push(clip(m[0]));
      }
    }
    return out;
  };
  const tables = Array.from(document.querySelectorAll("table")).map((t) => {
    let clipped = 0;
    const broken = [];
    for (const c of t.querySelectorAll("th, td")) {
      if (c.scrollWidth > c.clientWidth + 1) clipped++;
      for (const w of brokenWords(c)) broken.push(c.tagName.toLowerCase() + " " + w);
    }
    const wrap = t.closest(".table-wrap") || t.parentElement;
    return {
      id: t.dataset.table || "", box: rect(t), clippedCells: clipped, brokenWords: broken,
      scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth,
    };
  });
  const blocks = Array.from(document.querySelectorAll("figure.chart, table")).map((b) => {
    const r = rect(b);
    return {
      kind: b.tagName.toLowerCase(),
      id: b.dataset.table || (b.querySelector("div.item") || {}).id || "",
      height: r.bottom - r.top,
      breakInside: getComputedStyle(b).breakInside,
      // A table split across pages repeats its header only when the header
      // is a table-header-group.
      header: b.tHead ? getComputedStyle(b.tHead).display : "",
    };
  });
  // Elements that reach past the right edge of the page, outermost only.
  const limit = document.documentElement.clientWidth;
  const wide = [];
  const walk = (el) => {
    for (const c of el.children) {
      const r = c.getBoundingClientRect();
      if (r.width > 0 && r.right > limit + 1) {
        wide.push(c.tagName.toLowerCase() + (c.id ? "#" + c.id : "") + (c.className && typeof c.className === "string" ? "." + c.className.split(" ")[0] : "") + " (" + Math.round(r.right) + " px)");
      } else {
        walk(c);
      }
    }
  };
  walk(document.body);
  return { width: limit, scrollWidth: document.documentElement.scrollWidth, charts, tables, blocks, wide };
}
