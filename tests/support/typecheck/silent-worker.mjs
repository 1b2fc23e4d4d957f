// @ts-check
// A type-check worker that never finishes loading (never says "ready").
setInterval(() => {}, 1000);
