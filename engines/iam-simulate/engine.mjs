// The engine protocol (docs/engine-protocol.md, version 1) over @cloud-copilot/iam-simulate.
// iam-simulate is AGPL-3.0-or-later: install.sh fetches the pinned version from npm into
// node_modules/ (ignored by git); it is never vendored or committed.
import { createInterface } from 'node:readline'
import { readFileSync } from 'node:fs'
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate'

const version = JSON.parse(
  readFileSync(new URL('./node_modules/@cloud-copilot/iam-simulate/package.json', import.meta.url), 'utf8')
).version

const handshake = {
  type: 'handshake',
  protocol: 1,
  engine: { name: 'iam-simulate', version },
  capabilities: {
    policy_types: ['identity', 'boundary', 'session', 'scp', 'rcp', 'resource'],
    principal_kinds: ['user', 'role', 'assumed-role', 'federated-user', 'root', 'service', 'anonymous'],
    operators: ['*'],
    qualifiers: ['ForAllValues', 'ForAnyValue', 'IfExists'],
    elements: ['NotAction', 'NotResource', 'NotPrincipal', 'policy-variables'],
    explanations: { matched: false, missing_context: false }
  }
}

const decisions = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'explicitDeny',
  ImplicitlyDenied: 'implicitDeny'
}

function write(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

// A policy's exact text, as iam-simulate takes it: a parsed document.
function parse(text, where) {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new Error(`${where} is not JSON: ${e.message}`)
  }
}

function levels(list, kind) {
  return (list ?? []).map((level, l) => ({
    orgIdentifier: `${kind}-level-${l}`,
    policies: level.map((text, i) => ({ name: `${kind}[${l}][${i}]`, policy: parse(text, `${kind}[${l}][${i}]`) }))
  }))
}

function principal(p) {
  if (p === 'anonymous') return anonymousPrincipal
  if (typeof p === 'string') return p
  if (p && typeof p.service === 'string') return p.service
  return null
}

function accountOf(arn) {
  return typeof arn === 'string' && arn.startsWith('arn:') ? arn.split(':')[4] || '' : ''
}

// The keys AWS puts in every request from the principal, where the case does not give them
// (iam-simulate does not derive them yet: its README, "Features Coming Soon"), as the model
// derives them. "AWS global condition context keys":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
function derivedKeys(p) {
  if (p === 'anonymous') {
    return { 'aws:userid': 'anonymous', 'aws:PrincipalAccount': 'anonymous', 'aws:PrincipalType': 'Anonymous' }
  }
  if (p && typeof p.service === 'string') {
    return { 'aws:PrincipalServiceName': p.service, 'aws:PrincipalIsAWSService': 'true' }
  }
  const [, partition, service, , account, resource = ''] = p.split(':')
  const keys = { 'aws:PrincipalAccount': account, 'aws:PrincipalIsAWSService': 'false', 'aws:PrincipalArn': p }
  if (service === 'iam' && resource.startsWith('user/')) {
    keys['aws:username'] = resource.split('/').pop()
    keys['aws:PrincipalType'] = 'User'
  } else if (service === 'iam' && resource.startsWith('role/')) {
    keys['aws:PrincipalType'] = 'AssumedRole'
  } else if (service === 'sts' && resource.startsWith('assumed-role/')) {
    keys['aws:PrincipalArn'] = `arn:${partition}:iam::${account}:role/${resource.split('/')[1]}`
    keys['aws:PrincipalType'] = 'AssumedRole'
  } else if (service === 'sts' && resource.startsWith('federated-user/')) {
    keys['aws:userid'] = `${account}:${resource.split('/').slice(1).join('/')}`
    keys['aws:PrincipalType'] = 'FederatedUser'
  } else if (service === 'iam' && resource === 'root') {
    keys['aws:userid'] = account
    keys['aws:PrincipalType'] = 'Account'
  }
  return keys
}

// iam-simulate adds RCPFullAWSAccess to every level itself and rejects an RCP that allows:
// the case's copy of it is left out; a level without it cannot be expressed.
function isFullAccess(st) {
  return st.Effect === 'Allow' && st.Principal === '*' && st.Action === '*' && st.Resource === '*' && !st.Condition
}

function rcpLevels(list) {
  return (list ?? []).map((level, l) => {
    let full = false
    const policies = []
    level.forEach((text, i) => {
      const policy = parse(text, `rcp[${l}][${i}]`)
      const statements = [].concat(policy.Statement ?? [])
      const kept = statements.filter((st) => !isFullAccess(st))
      if (kept.length < statements.length) full = true
      if (kept.length > 0) policies.push({ name: `rcp[${l}][${i}]`, policy: { ...policy, Statement: kept } })
    })
    if (!full) throw new Refusal(`RCP level ${l} has no RCPFullAWSAccess, which iam-simulate always adds`)
    return { orgIdentifier: `rcp-level-${l}`, policies }
  })
}

class Refusal extends Error {}

async function evaluate(m) {
  const id = m.id
  const r = m.request
  const who = principal(r.principal)
  if (who === null) return { type: 'refusal', id, reason: 'iam-simulate adapter: federated and canonical-user principals are not expressible' }
  const p = m.policies ?? {}
  const context = {}
  const given = new Set((r.context ?? []).map((e) => e.key.toLowerCase()))
  for (const [key, value] of Object.entries(derivedKeys(r.principal))) {
    if (!given.has(key.toLowerCase())) context[key] = value
  }
  for (const e of r.context ?? []) {
    context[e.key] = e.type.endsWith('List') ? e.values : e.values[0]
  }
  const simulation = {
    request: {
      principal: who,
      action: r.action,
      resource: {
        resource: r.resource,
        accountId: r.resource_account || accountOf(r.resource) || accountOf(typeof who === 'string' ? who : '')
      },
      contextVariables: context
    },
    identityPolicies: (p.identity ?? []).map((t, i) => ({ name: `identity[${i}]`, policy: parse(t, `identity[${i}]`) })),
    serviceControlPolicies: levels(p.scp, 'scp'),
    resourceControlPolicies: rcpLevels(p.rcp)
  }
  if (p.boundary !== undefined) simulation.permissionBoundaryPolicies = [{ name: 'boundary', policy: parse(p.boundary, 'boundary') }]
  if (p.session !== undefined && p.session.length > 0) {
    if (p.session.length > 1) return { type: 'refusal', id, reason: 'iam-simulate takes one session policy' }
    simulation.sessionPolicy = parse(p.session[0], 'session[0]')
  }
  if (p.resource !== undefined) simulation.resourcePolicy = parse(p.resource, 'resource')
  const result = await runSimulation(simulation, {})
  if (result.resultType === 'error') {
    return { type: 'refusal', id, reason: `iam-simulate rejects the input: ${JSON.stringify(result.errors)}` }
  }
  // A context key iam-simulate does not know for the action is dropped from the request:
  // the case it would then decide is another one.
  const results = result.resultType === 'single' ? [result.result] : result.results ?? []
  const ignored = [...new Set(results.flatMap((x) => x?.ignoredContextKeys ?? []))]
  if (ignored.length > 0) {
    return { type: 'refusal', id, reason: `iam-simulate ignores context keys it does not know for the action (${ignored.length})` }
  }
  const decision = decisions[result.overallResult]
  if (!decision) return { type: 'error', id, message: `unknown result ${JSON.stringify(result.overallResult)}` }
  return { type: 'answer', id, decision }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of lines) {
  if (line.trim() === '') continue
  let m
  try {
    m = JSON.parse(line)
  } catch (e) {
    process.stderr.write(`iam-simulate engine: input is not JSON: ${line}\n`)
    process.exit(2)
  }
  if (m.type === 'hello') {
    write(handshake)
  } else if (m.type === 'evaluate') {
    try {
      write(await evaluate(m))
    } catch (e) {
      if (e instanceof Refusal) write({ type: 'refusal', id: m.id, reason: e.message })
      else write({ type: 'error', id: m.id, message: String(e && e.message ? e.message : e) })
    }
  } else {
    process.stderr.write(`iam-simulate engine: unknown message: ${line}\n`)
    process.exit(2)
  }
}
