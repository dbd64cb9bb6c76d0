// The page: loads the engine, runs it on a fixed timestep and paints it every frame.
import init, { WebSim } from './pkg/loginstorm.js';

const canvas = document.getElementById('view');
const caption = document.getElementById('caption');
const ctx = canvas.getContext('2d');
const dark = matchMedia('(prefers-color-scheme: dark)').matches;

/** Simulated minutes per real second. */
const SPEED = 20;
/** Longest real time one frame may simulate, so a background tab does not fast-forward. */
const MAX_FRAME_S = 0.25;

async function start() {
  await init();
  const sim = new WebSim('calm-day', {}, canvas.width, canvas.height, dark);
  let simTime = 0;
  let last = performance.now();
  const frame = (now) => {
    simTime += Math.min(Math.max(now - last, 0) / 1000, MAX_FRAME_S) * SPEED;
    last = now;
    if (simTime >= sim.duration_min()) simTime = 0;
    sim.step_until(Math.floor(simTime));
    sim.draw(ctx);
    const s = sim.latest();
    if (s) {
      const users = Math.round(s.online * sim.users_per_client()).toLocaleString('en');
      caption.textContent = `Minute ${s.t_min}: ${users} users online, ${s.supernodes} supernodes.`;
    }
    document.body.dataset.ready = '1';
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

start().catch((e) => {
  caption.textContent = `The simulation could not start: ${e.message}`;
  throw e;
});
