"""Helpers for the generators of corpus/cases/eval/*.json.
Regenerate: for f in docs_evaluation docs_matching docs_conditions operators variables policy_types cleanrooms_trust cleanrooms_identity cleanrooms_cross_account fidelity; do python3 $f.py; done
Then: python3 validate.py && python3 crosscheck.py
"""
import json, os, re
# The folder above this script (corpus/cases/eval); IAMCR_CASES_OUT writes elsewhere.
OUT = os.environ.get('IAMCR_CASES_OUT', os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UG = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/'
SEED0 = 'seed 000_4bf9d1b6f7bc9e25.txt'
SEED1 = 'seed 001_ffd37191befe516d.txt'
SEED2 = 'seed 002_eceb3463d17a44a7.txt'

def C(key, typ, *vals):
    return {"key": key, "type": typ, "values": list(vals)}

def S(effect, action=None, resource=None, sid=None, cond=None, principal=None,
      notaction=None, notresource=None, notprincipal=None):
    d = {}
    if sid: d['Sid'] = sid
    d['Effect'] = effect
    if principal is not None: d['Principal'] = principal
    if notprincipal is not None: d['NotPrincipal'] = notprincipal
    if action is not None: d['Action'] = action
    if notaction is not None: d['NotAction'] = notaction
    if resource is not None: d['Resource'] = resource
    if notresource is not None: d['NotResource'] = notresource
    if cond is not None: d['Condition'] = cond
    return d

def P(*stmts, version="2012-10-17"):
    d = {}
    if version: d['Version'] = version
    d['Statement'] = list(stmts)
    return d

def R(principal, action, resource, context=None, resource_account=None):
    d = {"principal": principal, "action": action, "resource": resource}
    if resource_account: d['resource_account'] = resource_account
    if context: d['context'] = context
    return d

def M(policy, sid=None, statement=None):
    d = {"policy": policy}
    if sid is not None: d['sid'] = sid
    else: d['statement'] = statement
    return d

def case(cid, desc, source, policies, request, decision, matched=None, missing=None):
    assert decision in ('allowed', 'explicitDeny', 'implicitDeny'), decision
    exp = {"decision": decision}
    if matched is not None:
        assert decision != 'implicitDeny'
        exp['matched'] = matched
    if missing is not None:
        exp['missing_context'] = missing
    return {"id": cid, "description": desc, "source": source,
            "policies": policies, "request": request, "expect": exp}

def write(topic, cases):
    ids = set()
    for c in cases:
        assert c['id'].startswith(topic + '-'), c['id']
        assert re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', c['id']), c['id']
        assert c['id'] not in ids, c['id']
        ids.add(c['id'])
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, topic + '.json'), 'w') as f:
        json.dump(cases, f, indent=2, ensure_ascii=False)
        f.write('\n')
    print(topic, len(cases))
