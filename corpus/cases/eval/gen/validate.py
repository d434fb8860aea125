"""Structural validation of corpus/cases/eval/*.json against case-format v1."""
import json, glob, os, re, sys
D = '/work/main/corpus/cases/eval'
CASE_KEYS = {'id', 'description', 'source', 'policies', 'request', 'expect'}
POL_KEYS = {'identity', 'boundary', 'session', 'scp', 'rcp', 'resource'}
REQ_KEYS = {'principal', 'action', 'resource', 'resource_account', 'context'}
EXP_KEYS = {'decision', 'matched', 'missing_context'}
CTX_KEYS = {'key', 'type', 'values'}
TYPES = {'string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'}
DEC = {'allowed', 'explicitDeny', 'implicitDeny'}
errs = []; ids = {}; counts = {}
def err(cid, msg): errs.append(f'{cid}: {msg}')
def load_pol(cid, p, label):
    if isinstance(p, str):
        try: return json.loads(p)
        except Exception as e: err(cid, f'{label} policy string is not valid JSON: {e}'); return None
    if not isinstance(p, dict): err(cid, f'{label} policy must be object or string'); return None
    return p
def stmts(doc):
    s = doc.get('Statement')
    return s if isinstance(s, list) else [s]
for f in sorted(glob.glob(D + '/*.json')):
    topic = os.path.basename(f)[:-5]
    raw = open(f).read()
    data = json.loads(raw)
    if json.dumps(data, indent=2, ensure_ascii=False) + '\n' != raw: errs.append(f'{f}: not 2-space indented canonical dump')
    if not isinstance(data, list): errs.append(f'{f}: not an array'); continue
    counts[topic] = len(data)
    for c in data:
        cid = c.get('id', '?')
        if set(c) - CASE_KEYS: err(cid, f'unknown case keys {set(c) - CASE_KEYS}')
        for k in ('id', 'policies', 'request', 'expect'):
            if k not in c: err(cid, f'missing {k}')
        if not re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', cid): err(cid, 'id not kebab-case')
        if not cid.startswith(topic + '-'): err(cid, 'id not prefixed by topic')
        if cid in ids: err(cid, f'duplicate id (also in {ids[cid]})')
        ids[cid] = topic
        for k in ('description', 'source'):
            if not isinstance(c.get(k), str) or not c[k]: err(cid, f'{k} missing/empty')
        pols = c['policies']
        if set(pols) - POL_KEYS: err(cid, f'unknown policy keys {set(pols) - POL_KEYS}')
        labels = {}
        for i, p in enumerate(pols.get('identity', [])): labels[f'identity[{i}]'] = load_pol(cid, p, f'identity[{i}]')
        for i, p in enumerate(pols.get('session', [])): labels[f'session[{i}]'] = load_pol(cid, p, f'session[{i}]')
        for k in ('boundary', 'resource'):
            if k in pols: labels[k] = load_pol(cid, pols[k], k)
        for kind in ('scp', 'rcp'):
            if kind in pols:
                if not isinstance(pols[kind], list) or not all(isinstance(l, list) for l in pols[kind]): err(cid, f'{kind} must be array of arrays')
                else:
                    for li, lvl in enumerate(pols[kind]):
                        for pi, p in enumerate(lvl): labels[f'{kind}[{li}][{pi}]'] = load_pol(cid, p, f'{kind}[{li}][{pi}]')
        for lab, doc in labels.items():
            if doc is None: continue
            for st in stmts(doc):
                hasp = 'Principal' in st or 'NotPrincipal' in st
                if lab.startswith(('identity', 'session', 'boundary', 'scp')) and hasp: err(cid, f'{lab} has a Principal')
                if lab == 'resource' and not hasp: err(cid, 'resource statement without Principal')
        r = c['request']
        if set(r) - REQ_KEYS: err(cid, f'unknown request keys {set(r) - REQ_KEYS}')
        p = r.get('principal')
        if isinstance(p, dict):
            if len(p) != 1 or list(p)[0] not in ('service', 'federated', 'canonical_user'): err(cid, f'bad principal object {p}')
        elif isinstance(p, str):
            if p != 'anonymous' and not re.fullmatch(r'arn:aws:(iam::\d{12}:(root|user/.+|role/.+)|sts::\d{12}:(assumed-role/[^/]+/.+|federated-user/.+))', p): err(cid, f'bad principal {p}')
        else: err(cid, 'principal missing')
        if not isinstance(r.get('action'), str) or ':' not in r['action']: err(cid, 'bad action')
        if not isinstance(r.get('resource'), str) or not (r['resource'] == '*' or r['resource'].startswith('arn:')): err(cid, 'bad resource')
        for e in r.get('context', []):
            if set(e) != CTX_KEYS: err(cid, f'context entry keys {set(e)}')
            if e.get('type') not in TYPES: err(cid, f'bad context type {e.get("type")}')
            if not isinstance(e.get('values'), list) or not all(isinstance(v, str) for v in e['values']): err(cid, 'context values must be array of strings')
            if not e['type'].endswith('List') and len(e['values']) != 1: err(cid, f'single-valued type with {len(e["values"])} values')
        ex = c['expect']
        if set(ex) - EXP_KEYS: err(cid, f'unknown expect keys {set(ex) - EXP_KEYS}')
        if ex.get('decision') not in DEC: err(cid, f'bad decision {ex.get("decision")}')
        if 'matched' in ex:
            if ex['decision'] == 'implicitDeny': err(cid, 'matched given for implicitDeny')
            for m in ex['matched']:
                if set(m) - {'policy', 'sid', 'statement'} or ('sid' in m) == ('statement' in m): err(cid, f'bad matched entry {m}')
                doc = labels.get(m['policy'])
                if doc is None: err(cid, f'matched policy {m["policy"]} absent'); continue
                sl = stmts(doc)
                if 'sid' in m:
                    hit = [s for s in sl if s.get('Sid') == m['sid']]
                    if len(hit) != 1: err(cid, f'matched sid {m["sid"]} not unique/found in {m["policy"]}'); continue
                    st = hit[0]
                else:
                    if not (0 <= m['statement'] < len(sl)): err(cid, 'matched statement index out of range'); continue
                    st = sl[m['statement']]
                    if 'Sid' in st: err(cid, f'matched by index but statement has Sid {st["Sid"]}')
                want = 'Deny' if ex['decision'] == 'explicitDeny' else 'Allow'
                if st.get('Effect') != want: err(cid, f'matched statement effect {st.get("Effect")} for {ex["decision"]}')
        if 'missing_context' in ex and not all(isinstance(k, str) for k in ex['missing_context']): err(cid, 'bad missing_context')
print('\n'.join(errs) if errs else 'structural validation: OK')
tot = 0
for k, v in counts.items(): print(f'{k:28s} {v}'); tot += v
print('total', tot)
sys.exit(1 if errs else 0)
