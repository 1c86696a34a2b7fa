// The audit log: one document per administrative change. Never holds passwords, hashes or respondent data
// (recordAudit strips secret-looking keys before anything is stored).
import mongoose, { Schema } from 'mongoose';

export interface AuditDoc {
  _id: mongoose.Types.ObjectId;
  at: Date;
  actorId: string;
  actorEmail: string;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

const auditSchema = new Schema<AuditDoc>(
  {
    at: { type: Date, required: true },
    actorId: { type: String, required: true },
    actorEmail: { type: String, required: true },
    action: { type: String, required: true },
    entity: { type: String, required: true },
    entityId: { type: String, required: true },
    before: { type: Schema.Types.Mixed },
    after: { type: Schema.Types.Mixed },
  },
  { collection: 'audit_log', versionKey: false, minimize: false },
);

export const AuditEntry = mongoose.model<AuditDoc>('AuditEntry', auditSchema);
