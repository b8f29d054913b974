// The CDK's own diff engine for the release review (scripts/release_review/engine.py).
//
// Reads one JSON request per line on stdin: {"stacks": {name: {"old": template|null, "new": template|null,
// "paths": {logicalId: constructPath}}}}. Writes one JSON line back per request with each
// stack's resource changes (the library's replacement impact, from its own resource specification),
// its IAM and security-group changes, whether permissions broaden, and the `cdk diff` text.
// A long-lived process: loading the specification is the expensive part (about 1 s), diffs are cheap.
'use strict';

const readline = require('readline');
const { Writable } = require('stream');
const cfnDiff = require('@aws-cdk/cloudformation-diff');

function capture(render) {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  stream.columns = 140;
  render(stream);
  return text;
}

function securityOf(diff) {
  return {
    iam: diff.iamChanges._toJson(),
    securityGroups: diff.securityGroupChanges.toJson(),
    broadened: diff.permissionsBroadened,
    iamTable: diff.iamChanges.hasChanges ? diff.iamChanges.summarizeStatements() : [],
    managedPolicyTable: diff.iamChanges.managedPolicies.hasChanges ? diff.iamChanges.summarizeManagedPolicies() : [],
    securityGroupTable: diff.securityGroupChanges.hasChanges ? diff.securityGroupChanges.summarize() : [],
  };
}

function resourceChange(logicalId, change, oldTemplate, newTemplate) {
  const props = {};
  for (const [name, prop] of Object.entries(change.propertyUpdates)) {
    props[name] = { old: prop.oldValue, new: prop.newValue, impact: prop.changeImpact || 'WILL_UPDATE' };
  }
  const other = {};
  for (const [name, prop] of Object.entries(change.otherChanges)) {
    other[name] = { old: prop.oldValue, new: prop.newValue };
  }
  // The same library on this resource alone: which resource broadens which permission, for --accept.
  const alone = cfnDiff.fullDiff(
    { Resources: oldTemplate && change.oldValue ? { [logicalId]: change.oldValue } : {} },
    { Resources: newTemplate && change.newValue ? { [logicalId]: change.newValue } : {} },
  );
  return {
    id: logicalId,
    oldType: change.oldResourceType,
    newType: change.newResourceType,
    impact: change.changeImpact,
    added: change.isAddition,
    removed: change.isRemoval,
    props,
    other,
    security: securityOf(alone),
  };
}

function diffStack(request) {
  const oldTemplate = request.old || {};
  const newTemplate = request.new || {};
  const diff = cfnDiff.fullDiff(oldTemplate, newTemplate);
  const resources = [];
  diff.resources.forEachDifference((logicalId, change) => {
    if (change.isDifferent) resources.push(resourceChange(logicalId, change, request.old, request.new));
  });
  const outputs = [];
  diff.outputs.forEachDifference((name, change) => outputs.push({ id: name, old: change.oldValue, new: change.newValue }));
  const text = diff.isEmpty ? '' : capture((stream) => cfnDiff.formatDifferences(stream, diff, request.paths || {}));
  return { empty: diff.isEmpty, resources, outputs, security: securityOf(diff), text };
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    const reply = {};
    try {
      for (const [name, stack] of Object.entries(request.stacks)) reply[name] = diffStack(stack);
      process.stdout.write(JSON.stringify({ ok: true, stacks: reply }) + '\n');
    } catch (error) {
      process.stdout.write(JSON.stringify({ ok: false, error: String(error && error.stack ? error.stack : error) }) + '\n');
    }
  }
}

main();
