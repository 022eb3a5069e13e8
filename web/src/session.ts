// The logged-in user, the typed API client, and A-5's idle logout: after 30 minutes without activity
// the session ends (the API ends it too), with a warning five minutes before.
import { createSambandClient, type components, SambandProblem } from '../../client';

export type User = components['schemas']['User'];
interface Session {
  token: string;
  user: User;
  idleMs: number;
}

const KEY = 'samband.session';
/** Warn this long before the idle logout. */
export const IDLE_WARNING_MS = 5 * 60 * 1000;
/** Touch the server's session on activity at most this often (the API counts idle time by its requests). */
const TOUCH_EVERY_MS = 60 * 1000;

let session: Session | null = readSession();
let lastRequestAt = Date.now();

function readSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export const currentUser = () => session?.user ?? null;

/** creating and acting on cases needs ordering or full access (or a superuser); handlers work queues. */
export function canOrder(user: User | null): boolean {
  return !!user && (user.role === 'superuser' || (user.role === 'reseller' && (user.accessType === 'ordering' || user.accessType === 'full')));
}
export const isHandler = (user: User | null) => user?.role === 'handler';

export const api = createSambandClient({
  baseUrl: location.origin,
  token: () => session?.token,
  fetch: async (input, init) => {
    lastRequestAt = Date.now();
    const res = await fetch(input, init);
    // the API ended the session (idle, logged out elsewhere): back to the login page
    if (res.status === 401 && session && !(input instanceof Request && input.url.endsWith('/v1/auth/login'))) {
      endSession('expired');
    }
    return res;
  },
});

type Listener = (reason: 'expired' | 'logout' | 'login') => void;
const listeners: Listener[] = [];
export const onSessionChange = (fn: Listener) => listeners.push(fn);

export async function login(username: string, password: string): Promise<void> {
  const { data } = await api.POST('/v1/auth/login', { body: { username, password } });
  if (!data) throw new Error('no answer');
  session = { token: data.token, user: data.user, idleMs: data.idleTimeoutSeconds * 1000 };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  idle.start(session.idleMs);
  for (const fn of listeners) fn('login');
}

export async function logout(): Promise<void> {
  await api.POST('/v1/auth/logout').catch(() => undefined);
  endSession('logout');
}

function endSession(reason: 'expired' | 'logout'): void {
  if (!session) return;
  session = null;
  sessionStorage.removeItem(KEY);
  idle.stop();
  for (const fn of listeners) fn(reason);
}

// ---- idle logout with a warning --------------------------------------------------------------

class IdleWatch {
  private warnTimer: number | undefined;
  private expireTimer: number | undefined;
  private idleMs = 0;
  onWarn: (minutesLeft: number) => void = () => undefined;
  onActive: () => void = () => undefined;

  start(idleMs: number): void {
    this.idleMs = idleMs;
    this.reset();
  }

  stop(): void {
    window.clearTimeout(this.warnTimer);
    window.clearTimeout(this.expireTimer);
    this.idleMs = 0;
  }

  /** The user did something: the 30 minutes start again, here and (at most once a minute) on the server. */
  activity(): void {
    if (!session || this.idleMs === 0) return;
    this.reset();
    this.onActive();
    if (Date.now() - lastRequestAt > TOUCH_EVERY_MS) void api.GET('/v1/auth/me').catch(() => undefined);
  }

  private reset(): void {
    window.clearTimeout(this.warnTimer);
    window.clearTimeout(this.expireTimer);
    const warnAfter = Math.max(0, this.idleMs - IDLE_WARNING_MS);
    this.warnTimer = window.setTimeout(() => this.onWarn(Math.round((this.idleMs - warnAfter) / 60000)), warnAfter);
    this.expireTimer = window.setTimeout(() => {
      void api.POST('/v1/auth/logout').catch(() => undefined);
      endSession('expired');
    }, this.idleMs);
  }
}

export const idle = new IdleWatch();
if (session) idle.start(session.idleMs);
for (const type of ['keydown', 'pointerdown', 'wheel']) window.addEventListener(type, () => idle.activity(), { passive: true, capture: true });

export { SambandProblem };
