// Temporal's JSON history format (as `temporal workflow show --output json` and the Web UI export it)
// for the recorded-history corpus (tests/histories/).
//
// The SDK's historyToJSON / historyFromJSON (@temporalio/common/lib/proto-utils) throw "type must be a
// Type" in this install: npm nested one copy of protobufjs 8 under each of @temporalio/common, /proto
// and /worker (protobufjs 7 is hoisted for @grpc/proto-loader), and protobufjs' JSON codec checks
// `instanceof Type` against its own copy. We call the SDK first and, when that happens, do the same
// conversion with the JSON codec of the protobufjs copy that @temporalio/proto's types belong to.
import { createRequire } from 'node:module';
import { historyFromJSON as sdkHistoryFromJSON, historyToJSON as sdkHistoryToJSON } from '@temporalio/common/lib/proto-utils';
import proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

export type History = proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): History | null;
}
interface LookupRoot {
  lookupType(name: string): unknown;
}

function protoJsonOfProtoPackage(): { codec: ProtoJson; historyType: unknown } {
  const here = createRequire(import.meta.url);
  const fromProto = createRequire(here.resolve('@temporalio/proto'));
  const codec = fromProto('protobufjs/ext/protojson') as ProtoJson;
  const root = patchProtobufRoot(proto) as unknown as LookupRoot;
  return { codec, historyType: root.lookupType('temporal.api.history.v1.History') };
}

const isTypeMismatch = (error: unknown) => error instanceof TypeError && /must be a Type/.test(error.message);

/** A history (e.g. from `handle.fetchHistory()`) as pretty-printed proto JSON. */
export function historyToJSON(history: History): string {
  try {
    return sdkHistoryToJSON(history);
  } catch (error) {
    if (!isTypeMismatch(error)) throw error;
    const { codec, historyType } = protoJsonOfProtoPackage();
    return JSON.stringify(codec.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
  }
}

/** A parsed JSON history file as a History that `Worker.runReplayHistories` accepts. */
export function historyFromJSON(json: unknown): History {
  try {
    return sdkHistoryFromJSON(json);
  } catch (error) {
    if (!isTypeMismatch(error)) throw error;
    const { codec, historyType } = protoJsonOfProtoPackage();
    const history = codec.fromJson(historyType, json, { ignoreUnknownFields: true });
    if (!history) throw new TypeError('Invalid history', { cause: error });
    return history;
  }
}
