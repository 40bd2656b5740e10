export {
  accountKey,
  createLoginThrottle,
  type LoginAdmission,
  type LoginLimits,
  type LoginThrottle,
} from "./login-throttle.ts";
export { createSlidingWindow, type SlidingWindow } from "./sliding-window.ts";
