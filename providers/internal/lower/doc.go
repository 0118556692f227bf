// Package lower is the one preparation stage every provider runs before it
// speaks to its SDK. A provider author:
//  1. builds a [Gate] once in New, and returns Gate.Ready(req) first on every call;
//  2. picks the [Caps] value of the service (and model) it talks to — data, kept in caps.go;
//  3. calls [Prepare], which checks the request against those Caps and refuses,
//     worded once, what the service cannot do (media it does not take, from where it does not take it, included);
//  4. maps the returned [Plan] (system text, turns with their media parts, tools, tool choice, format) to the SDK, and nothing more;
//  5. passes the answer through [Plan.Answer] or [Plan.Chunk], and ends a stream cut short with [CutShort].
package lower
