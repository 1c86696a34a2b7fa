// Stored instrument versions: one document per (instrument id, version), _id "<id>@<version>".
// A published version never changes; edits go to a draft with the next version number.
import mongoose, { Schema } from 'mongoose';
import type { Definition } from './schema.js';

export interface InstrumentVersionDoc {
  _id: string;
  instrumentId: string;
  version: number;
  status: 'draft' | 'published';
  source: 'library' | 'user' | 'surveyjs' | 'limesurvey';
  definition: Definition;
  createdBy: string;
  createdAt: Date;
  publishedAt?: Date;
}

const schema = new Schema<InstrumentVersionDoc>(
  {
    _id: { type: String, required: true },
    instrumentId: { type: String, required: true },
    version: { type: Number, required: true },
    status: { type: String, enum: ['draft', 'published'], required: true },
    source: { type: String, enum: ['library', 'user', 'surveyjs', 'limesurvey'], required: true },
    definition: { type: Schema.Types.Mixed, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    publishedAt: { type: Date },
  },
  { versionKey: false, minimize: false },
);

export const InstrumentVersion = mongoose.model<InstrumentVersionDoc>('InstrumentVersion', schema, 'instrument_versions');

export const versionKey = (id: string, version: number) => `${id}@${version}`;
