// Tells the rest of the app, in this process, that a council's records changed (a meeting, an action), so
// open council pages of that faculty refresh (realtime/server.ts pushes to the faculty's council room).
export interface CouncilChange {
  faculty: string;
  kind: 'council' | 'meeting' | 'action';
  id: string;
}

export class CouncilChanges {
  private listeners = new Set<(change: CouncilChange) => void>();

  on(listener: (change: CouncilChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(change: CouncilChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
