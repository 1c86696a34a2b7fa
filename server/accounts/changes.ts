// Tells the rest of the app, in this process, that an account's role, scope or status changed — so open
// sockets apply it at once (realtime/server.ts). Other processes apply it at their periodic session re-check.
export class UserChanges {
  private listeners = new Set<(userId: string) => void>();

  on(listener: (userId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(userId: string): void {
    for (const listener of this.listeners) listener(userId);
  }
}
