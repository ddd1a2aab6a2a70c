// Preloaded into the Prisma CLI: its wasm engine leaves a 60 s timer behind
// that keeps the process alive long after the command is done. Long timers
// are never what the CLI waits on, so they must not hold the process open.
const originalSetTimeout = global.setTimeout;
global.setTimeout = function patchedSetTimeout(callback, delay, ...rest) {
  const timer = originalSetTimeout(callback, delay, ...rest);
  if (typeof delay === "number" && delay >= 10_000 && timer && typeof timer.unref === "function") {
    timer.unref();
  }
  return timer;
};
