"""Consistency check only: a small Python model of the rules the case descriptions state, used to catch
mechanical mistakes (typos, wrong Sids/indices) in the hand-written expectations. Not an oracle;
it shares the case author's reading of the docs. Resource matching is a plain glob."""
import json, glob, re, ipaddress, base64, datetime, sys
from decimal import Decimal

def jl(p): return json.loads(p) if isinstance(p, str) else p
def stmts(doc):
    s = doc.get('Statement'); return s if isinstance(s, list) else [s]
def aslist(v): return v if isinstance(v, list) else [v]

# ---------- glob with literal segments ----------
def glob_re(tokens, ci=False):
    # tokens: list of (text, literal_bool)
    out = ''
    for t, lit in tokens:
        if lit: out += re.escape(t)
        else:
            for ch in t:
                out += '.*' if ch == '*' else '.' if ch == '?' else re.escape(ch)
    return re.compile('^' + out + '$', re.S | (re.I if ci else 0))

VAR = re.compile(r'\$\{([^}]*)\}')
def subst(s, ctx, enabled):
    """Return list of tokens or None if a variable is unresolvable."""
    if not enabled or not isinstance(s, str): return [(str(s).lower() if isinstance(s, bool) else str(s), False)]
    toks = []; pos = 0
    for m in VAR.finditer(s):
        toks.append((s[pos:m.start()], False))
        inner = m.group(1)
        if inner in ('*', '?', '$'): toks.append((inner, True))
        else:
            key, dflt = inner, None
            mm = re.fullmatch(r"\s*([^,]+?)\s*,\s*'(.*)'\s*", inner)
            if mm: key, dflt = mm.group(1), mm.group(2)
            v = ctx.get(key.strip().lower())
            if v is None or len(v[1]) != 1:
                if dflt is None: return None
                toks.append((dflt, True))
            else: toks.append((v[1][0], True))
        pos = m.end()
    toks.append((s[pos:], False))
    return toks
def lit(tokens): return ''.join(t for t, _ in tokens)

def arn_parts(s): return s.split(':', 5)
def arnlike(val, toks):
    # split tokens into 6 components at ':' in non-literal... approximate: use the literal string
    pat = lit(toks)
    vp = arn_parts(val); pp = pat.split(':', 5)
    if len(vp) != 6 or len(pp) != 6: return False
    # rebuild per-component token lists (literal flags lost for ':'-split; acceptable)
    return all(glob_re([(p, False)]).match(v) for p, v in zip(pp, vp))

def parse_date(s):
    s = str(s)
    if re.fullmatch(r'\d+', s): return datetime.datetime.fromtimestamp(int(s), datetime.timezone.utc)
    if re.fullmatch(r'\d{4}-\d{2}-\d{2}', s): return datetime.datetime.fromisoformat(s + 'T00:00:00+00:00')
    return datetime.datetime.fromisoformat(s.replace('Z', '+00:00'))

NEG = {'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress', 'ArnNotEquals', 'ArnNotLike'}
POS_OF = {'StringNotEquals': 'StringEquals', 'StringNotEqualsIgnoreCase': 'StringEqualsIgnoreCase', 'StringNotLike': 'StringLike', 'NumericNotEquals': 'NumericEquals',
          'DateNotEquals': 'DateEquals', 'NotIpAddress': 'IpAddress', 'ArnNotEquals': 'ArnEquals', 'ArnNotLike': 'ArnLike'}
def base_match(op, rv, toks):
    pv = lit(toks)
    if op == 'StringEquals': return rv == pv
    if op == 'StringEqualsIgnoreCase': return rv.lower() == pv.lower()
    if op == 'StringLike': return bool(glob_re(toks).match(rv))
    if op.startswith('Numeric'):
        a, b = Decimal(rv), Decimal(pv)
        return {'NumericEquals': a == b, 'NumericLessThan': a < b, 'NumericLessThanEquals': a <= b, 'NumericGreaterThan': a > b, 'NumericGreaterThanEquals': a >= b}[op]
    if op.startswith('Date'):
        a, b = parse_date(rv), parse_date(pv)
        return {'DateEquals': a == b, 'DateLessThan': a < b, 'DateLessThanEquals': a <= b, 'DateGreaterThan': a > b, 'DateGreaterThanEquals': a >= b}[op]
    if op == 'Bool': return rv.lower() == pv.lower()
    if op == 'BinaryEquals': return base64.b64decode(rv) == base64.b64decode(pv)
    if op == 'IpAddress': return ipaddress.ip_address(rv) in ipaddress.ip_network(pv, strict=False)
    if op in ('ArnEquals', 'ArnLike'): return arnlike(rv, toks)
    raise ValueError(op)

def eval_cond(cond, ctx, vars_on):
    for opfull, kv in cond.items():
        setop = None; op = opfull
        if ':' in op: setop, op = op.split(':', 1)
        ifexists = op.endswith('IfExists') and op != 'IfExists'
        if ifexists: op = op[:-8]
        for key, pvals in kv.items():
            pvals = aslist(pvals)
            entry = ctx.get(key.lower())
            if op == 'Null':
                want = str(pvals[0]).lower() == 'true'
                if (entry is None) != want: return False
                continue
            vars_ok = vars_on and op not in ('Bool',) and not op.startswith(('Numeric', 'Date', 'Binary', 'Ip', 'NotIp'))
            toks_list = [subst(str(v).lower() if isinstance(v, bool) else str(v), ctx, vars_ok) for v in pvals]
            toks_list = [t for t in toks_list if t is not None]
            neg = op in NEG; pos = POS_OF.get(op, op)
            def one(rv):
                hit = any(base_match(pos, rv, t) for t in toks_list)
                return (not hit) if neg else hit
            if entry is None:
                if setop == 'ForAllValues': continue
                if setop == 'ForAnyValue': return False
                if ifexists: continue
                if neg: continue
                return False
            vals = entry[1]
            if setop == 'ForAllValues': ok = all(one(v) for v in vals)
            elif setop == 'ForAnyValue': ok = any(one(v) for v in vals)
            else: ok = all(one(v) for v in vals) if vals else False
            if not ok: return False
    return True

# ---------- principals ----------
def pinfo(p):
    if p == 'anonymous': return dict(kind='anonymous', account=None)
    if isinstance(p, dict): return dict(kind='service', service=p.get('service'), account=None)
    m = re.fullmatch(r'arn:aws:iam::(\d{12}):root', p)
    if m: return dict(kind='root', account=m.group(1), arn=p)
    m = re.fullmatch(r'arn:aws:iam::(\d{12}):user/(.*)', p)
    if m: return dict(kind='user', account=m.group(1), arn=p, name=m.group(2).split('/')[-1])
    m = re.fullmatch(r'arn:aws:iam::(\d{12}):role/(.*)', p)
    if m: return dict(kind='role', account=m.group(1), arn=p, role_arn=p)
    m = re.fullmatch(r'arn:aws:sts::(\d{12}):assumed-role/([^/]+)/(.*)', p)
    if m: return dict(kind='session', account=m.group(1), arn=p, role_arn=f'arn:aws:iam::{m.group(1)}:role/{m.group(2)}', sess=m.group(3))
    m = re.fullmatch(r'arn:aws:sts::(\d{12}):federated-user/(.*)', p)
    if m: return dict(kind='federated', account=m.group(1), arn=p, name=m.group(2))
    raise ValueError(p)

def derived(pi):
    d = {}
    k = pi['kind']
    if k == 'anonymous': return {'aws:principalaccount': 'anonymous', 'aws:userid': 'anonymous', 'aws:principaltype': 'Anonymous'}
    if k == 'service': return {}
    d['aws:principalaccount'] = pi['account']
    if k == 'root': d.update({'aws:principalarn': pi['arn'], 'aws:principaltype': 'Account', 'aws:userid': pi['account']})
    if k == 'user': d.update({'aws:principalarn': pi['arn'], 'aws:principaltype': 'User', 'aws:username': pi['name']})
    if k in ('role', 'session'): d.update({'aws:principalarn': pi['role_arn'], 'aws:principaltype': 'AssumedRole'})
    if k == 'federated': d.update({'aws:principalarn': pi['arn'], 'aws:principaltype': 'FederatedUser', 'aws:userid': f"{pi['account']}:{pi['name']}"})
    return d

def principal_match(pe, pi):
    """How does a Principal element match? returns None or grant kind."""
    if pe == '*': return 'star'
    kinds = []
    for typ, vals in pe.items():
        for v in aslist(vals):
            if typ == 'AWS':
                if v == '*': kinds.append('star')
                elif pi['kind'] in ('anonymous', 'service'): continue
                elif re.fullmatch(r'\d{12}', v) or v.endswith(':root'):
                    acct = v if re.fullmatch(r'\d{12}', v) else v.split(':')[4]
                    if acct == pi['account']: kinds.append('root' if pi['kind'] == 'root' else 'account')
                elif v == pi.get('arn'): kinds.append({'user': 'user', 'role': 'role', 'session': 'session', 'federated': 'session'}[pi['kind']])
                elif pi['kind'] == 'session' and v == pi['role_arn']: kinds.append('role')
            elif typ == 'Service':
                if pi['kind'] == 'service' and v == pi['service']: kinds.append('service')
    if not kinds: return None
    order = ['user', 'session', 'star', 'service', 'root', 'role', 'account']
    return sorted(kinds, key=order.index)[0]

def notprincipal_exempt(npe, pi, has_boundary):
    if has_boundary: return False
    listed = set()
    for typ, vals in npe.items():
        for v in aslist(vals): listed.add((typ, v))
    if pi['kind'] == 'service': return ('Service', pi['service']) in listed
    if pi['kind'] == 'anonymous': return False
    acct = ('AWS', f"arn:aws:iam::{pi['account']}:root") in listed or ('AWS', pi['account']) in listed
    if pi['kind'] == 'root': return acct
    return acct and ('AWS', pi['arn']) in listed

def stmt_applies(st, req, ctx, vars_on, pi=None, has_boundary=False):
    act = req['action']
    if 'Action' in st: ok = any(glob_re([(a, False)], ci=True).match(act) for a in aslist(st['Action']))
    else: ok = not any(glob_re([(a, False)], ci=True).match(act) for a in aslist(st['NotAction']))
    if not ok: return False
    res = req['resource']
    def rmatch(pat):
        t = subst(pat, ctx, vars_on)
        if t is None: return False
        return bool(glob_re(t).match(res))
    if 'Resource' in st: ok = any(rmatch(r) for r in aslist(st['Resource']))
    elif 'NotResource' in st: ok = not any(rmatch(r) for r in aslist(st['NotResource']))
    else: ok = True  # trust policies without Resource
    if not ok: return False
    return eval_cond(st.get('Condition', {}), ctx, vars_on)

def evaluate(c):
    pols = c['policies']; req = c['request']
    pi = pinfo(req['principal'])
    ctx = {k: ('string', [v]) for k, v in derived(pi).items()}
    for e in req.get('context', []): ctx[e['key'].lower()] = (e['type'], e['values'])
    res = req['resource']
    racct = req.get('resource_account')
    if not racct:
        parts = res.split(':')
        racct = parts[4] if res.startswith('arn:') and len(parts) > 4 and parts[4] else pi.get('account')
    same = pi.get('account') == racct
    has_b = 'boundary' in pols
    def docs(label_list):
        out = []
        for lab, p in label_list:
            d = jl(p); out.append((lab, d, d.get('Version') == '2012-10-17'))
        return out
    ident = docs([(f'identity[{i}]', p) for i, p in enumerate(pols.get('identity', []))])
    sess = docs([(f'session[{i}]', p) for i, p in enumerate(pols.get('session', []))])
    bnd = docs([('boundary', pols['boundary'])]) if has_b else []
    rsrc = docs([('resource', pols['resource'])]) if 'resource' in pols else []
    scps = [docs([(f'scp[{l}][{i}]', p) for i, p in enumerate(lvl)]) for l, lvl in enumerate(pols.get('scp', []))]
    rcps = [docs([(f'rcp[{l}][{i}]', p) for i, p in enumerate(lvl)]) for l, lvl in enumerate(pols.get('rcp', []))]
    def applying(dl, effect, resource_pol=False):
        hits = []
        for lab, d, v in dl:
            for i, st in enumerate(stmts(d)):
                if st['Effect'] != effect: continue
                grant = None
                if 'Principal' in st:
                    grant = principal_match(st['Principal'], pi)
                    if grant is None: continue
                if 'NotPrincipal' in st:
                    if notprincipal_exempt(st['NotPrincipal'], pi, has_b): continue
                    grant = 'notprincipal'
                if stmt_applies(st, req, ctx, v, pi, has_b):
                    hits.append((lab, st, i, grant))
        return hits
    org_principal = pi['kind'] not in ('service', 'anonymous')
    denies = applying(ident, 'Deny') + applying(sess, 'Deny') + applying(bnd, 'Deny') + applying(rsrc, 'Deny')
    scp_denies = [h for lvl in scps for h in applying(lvl, 'Deny')] if org_principal else []
    rcp_denies = [h for lvl in rcps for h in applying(lvl, 'Deny')]
    def mk(h): return {'policy': h[0], **({'sid': h[1]['Sid']} if 'Sid' in h[1] else {'statement': h[2]})}
    if denies or scp_denies or rcp_denies:
        return 'explicitDeny', [mk(h) for h in denies]
    for lvl in rcps:
        if not applying(lvl, 'Allow'): return 'implicitDeny', None
    if org_principal:
        for lvl in scps:
            if not applying(lvl, 'Allow'): return 'implicitDeny', None
    r_allow = applying(rsrc, 'Allow'); i_allow = applying(ident, 'Allow')
    b_ok = (not has_b) or bool(applying(bnd, 'Allow'))
    s_ok = (not sess) or bool(applying(sess, 'Allow'))
    grants = {h[3] for h in r_allow}
    matched = [mk(h) for h in i_allow + r_allow]
    svc = req['action'].lower().split(':')[0]
    must_resource = svc in ('sts', 'kms')
    identity_side = pi['kind'] == 'root' or (bool(i_allow) and b_ok and s_ok)
    if pi['kind'] in ('service', 'anonymous'):
        return ('allowed', matched) if r_allow else ('implicitDeny', None)
    if same:
        if pi['kind'] == 'root': return 'allowed', matched
        if grants & {'user', 'session', 'star'}: return 'allowed', matched
        if 'role' in grants and b_ok and s_ok: return 'allowed', matched
        if must_resource and not r_allow: return 'implicitDeny', None
        if identity_side: return 'allowed', matched
        return 'implicitDeny', None
    else:
        if r_allow and identity_side: return 'allowed', matched
        return 'implicitDeny', None

if __name__ == '__main__':
    bad = 0; n = 0
    for f in sorted(glob.glob('/work/main/corpus/cases/eval/*.json')):
        for c in json.load(open(f)):
            n += 1
            try: dec, m = evaluate(c)
            except Exception as e: print('ERROR', c['id'], repr(e)); bad += 1; continue
            ex = c['expect']
            if dec != ex['decision']:
                print(f"DECISION {c['id']}: expected {ex['decision']}, ref {dec}"); bad += 1
            elif 'matched' in ex and dec != 'implicitDeny':
                key = lambda x: json.dumps(x, sort_keys=True)
                if sorted(map(key, ex['matched'])) != sorted(map(key, m or [])):
                    print(f"MATCHED {c['id']}: expected {ex['matched']}, ref {m}"); bad += 1
    print(f'{n} cases, {bad} disagreements')
