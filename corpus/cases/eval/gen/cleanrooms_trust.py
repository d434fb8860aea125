from lib import *
from seeds import S0, S1
T = 'cleanrooms-trust'
cases = []
def add(suffix, *a, **k):
    cases.append(case(T + '-' + suffix, *a, **k))
A = '111122223333'
CR = {"service": "cleanrooms.amazonaws.com"}
ML = {"service": "cleanrooms-ml.amazonaws.com"}
SRC_READ = SEED0 + ': Create a service role to read data (custom trust policy)'
SRC_WRITE = SEED0 + ': Create a service role to write results (example custom trust policy)'
SRC_TRAIN = SEED0 + ': Create a service role to read training data (custom trust policy)'
SRC_LAL = SEED0 + ': Create a service role to write a lookalike segment (custom trust policy)'
SRC_SEED = SEED0 + ': Create a service role to read seed data (custom trust policy)'
SRC_CD = SEED1 + ': Cross-service confused deputy prevention'
read_txt = S0[0][1]; write_txt = S0[2][1]; train_txt = S0[6][1]; lal_txt = S0[9][1]; seed_txt = S0[12][1]; cd_txt = S1[1][1]
for t in (read_txt, write_txt, train_txt, lal_txt, seed_txt, cd_txt): json.loads(t)
assert 'RoleTrustPolicyForCleanRoomsService' in read_txt and 'AllowIfExternalIdMatches' in write_txt
assert 'training-dataset' in train_txt and 'configured-audience-model' in lal_txt and 'audience-generation-job' in seed_txt
assert '<query-runner-membership-id>' in cd_txt
def sa(v): return C('aws:SourceArn', 'string', v)
def sacct(v): return C('aws:SourceAccount', 'string', v)
def ext(v): return C('sts:ExternalId', 'string', v)

# ---- read data ----
R_READ = f'arn:aws:iam::{A}:role/service-role/cleanrooms-read-data'
add('read-data-cleanrooms-service-allowed',
    "Seed trust policy for the read-data service role (exact seed text): Allow Principal {Service: cleanrooms.amazonaws.com} sts:AssumeRole, no conditions. AWS Clean Rooms assumes the role. Allowed.",
    SRC_READ, {"resource": read_txt}, R(CR, 'sts:AssumeRole', R_READ), 'allowed', matched=[M('resource', 'RoleTrustPolicyForCleanRoomsService')])
add('read-data-cleanrooms-service-with-source-context-allowed',
    "Read-data trust policy has no conditions, so any aws:SourceArn / aws:SourceAccount the service passes is irrelevant. Allowed.",
    SRC_READ, {"resource": read_txt}, R(CR, 'sts:AssumeRole', R_READ, context=[sa('arn:aws:cleanrooms:us-east-1:555555555555:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'), sacct('555555555555')]),
    'allowed', matched=[M('resource', 'RoleTrustPolicyForCleanRoomsService')])
add('read-data-cleanrooms-ml-service-denied',
    "Read-data trust policy names only cleanrooms.amazonaws.com; the Clean Rooms ML service principal cleanrooms-ml.amazonaws.com is a different principal. Implicit deny.",
    SRC_READ, {"resource": read_txt}, R(ML, 'sts:AssumeRole', R_READ), 'implicitDeny')
add('read-data-iam-user-identity-allow-insufficient',
    "An IAM user of the role's account whose identity policy allows sts:AssumeRole on the role cannot assume it: the trust policy must explicitly allow the principal and it names only the Clean Rooms service. Implicit deny.",
    SRC_READ + '; ' + UG + 'reference_policies_evaluation-logic_policy-eval-denyallow.html',
    {"identity": [P(S('Allow', 'sts:AssumeRole', R_READ, sid='AllowAssume'))], "resource": read_txt}, R(f'arn:aws:iam::{A}:user/admin', 'sts:AssumeRole', R_READ), 'implicitDeny')
add('read-data-other-sts-action-denied',
    "Read-data trust policy allows only sts:AssumeRole; sts:TagSession by the Clean Rooms service is not allowed. Implicit deny.",
    SRC_READ, {"resource": read_txt}, R(CR, 'sts:TagSession', R_READ), 'implicitDeny')

# ---- write results ----
R_WRITE = f'arn:aws:iam::{A}:role/service-role/cleanrooms-write-results'
MEM = 'arn:aws:cleanrooms:us-east-1:555555555555:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'
add('write-results-source-arn-matches',
    "Write-results trust policy (exact seed text). Statement AllowIfSourceArnMatches uses ForAnyValue:ArnEquals on aws:SourceArn (a single-valued key treated as a one-value set): the request's aws:SourceArn is the query runner's membership ARN arn:aws:cleanrooms:us-east-1:555555555555:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111. Allowed.",
    SRC_WRITE, {"resource": write_txt}, R(CR, 'sts:AssumeRole', R_WRITE, context=[sa(MEM)]), 'allowed', matched=[M('resource', 'AllowIfSourceArnMatches')])
add('write-results-source-arn-other-membership',
    "Write-results trust policy (exact seed text): aws:SourceArn is a different membership (...EXAMPLE22222) of the same account; no sts:ExternalId. Neither statement matches. Implicit deny.",
    SRC_WRITE, {"resource": write_txt}, R(CR, 'sts:AssumeRole', R_WRITE, context=[sa('arn:aws:cleanrooms:us-east-1:555555555555:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222')]), 'implicitDeny')
add('write-results-source-arn-other-account',
    "Write-results trust policy (exact seed text): same membership id but in account 444455556666 - the wrong account component fails ArnEquals. Implicit deny.",
    SRC_WRITE, {"resource": write_txt}, R(CR, 'sts:AssumeRole', R_WRITE, context=[sa('arn:aws:cleanrooms:us-east-1:444455556666:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111')]), 'implicitDeny')
add('write-results-source-arn-other-region',
    "Write-results trust policy (exact seed text): membership ARN in us-west-2 instead of us-east-1. Implicit deny.",
    SRC_WRITE, {"resource": write_txt}, R(CR, 'sts:AssumeRole', R_WRITE, context=[sa('arn:aws:cleanrooms:us-west-2:555555555555:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111')]), 'implicitDeny')
add('write-results-no-context',
    "Write-results trust policy (exact seed text) with neither aws:SourceArn nor sts:ExternalId in the request: ArnLike on a missing key is false and ForAnyValue on a missing key 'returns false'. Implicit deny.",
    SRC_WRITE, {"resource": write_txt}, R(CR, 'sts:AssumeRole', R_WRITE), 'implicitDeny')
add('write-results-other-service-principal',
    "Write-results trust policy names cleanrooms.amazonaws.com; cleanrooms-ml.amazonaws.com with the matching source ARN is still not a trusted principal. Implicit deny.",
    SRC_WRITE, {"resource": write_txt}, R(ML, 'sts:AssumeRole', R_WRITE, context=[sa(MEM)]), 'implicitDeny')
add('write-results-unreplaced-region-placeholder',
    "Write-results trust policy exactly as in the seed still contains the placeholder 'region' in the ExternalId pattern arn:aws:*:region:*:dbuser:*/a1b2c3d4-5678-90ab-cdef-EXAMPLEaaaaa*. A real external ID for us-east-1 does not match the literal 'region' component (ArnLike compares each component); no aws:SourceArn. Implicit deny.",
    SRC_WRITE, {"resource": write_txt},
    R(CR, 'sts:AssumeRole', R_WRITE, context=[ext('arn:aws:cleanrooms:us-east-1:555555555555:dbuser:cleanrooms/a1b2c3d4-5678-90ab-cdef-EXAMPLEaaaaa')]), 'implicitDeny')
wr = json.loads(write_txt)
wr['Statement'][0]['Condition']['ArnLike']['sts:ExternalId'] = 'arn:aws:*:us-east-1:*:dbuser:*/a1b2c3d4-5678-90ab-cdef-EXAMPLEaaaaa*'
REPL = " (Seed placeholder 'region' replaced by us-east-1 as the seed instructs; policy given as an object.)"
add('write-results-external-id-matches',
    "Write-results trust policy, statement AllowIfExternalIdMatches: ArnLike sts:ExternalId arn:aws:*:us-east-1:*:dbuser:*/a1b2c3d4-5678-90ab-cdef-EXAMPLEaaaaa*; external ID arn:aws:cleanrooms:us-east-1:555555555555:dbuser:cleanrooms/a1b2c3d4-5678-90ab-cdef-EXAMPLEaaaaa matches component-wise. Allowed." + REPL,
    SRC_WRITE, {"resource": wr}, R(CR, 'sts:AssumeRole', R_WRITE, context=[ext('arn:aws:cleanrooms:us-east-1:555555555555:dbuser:cleanrooms/a1b2c3d4-5678-90ab-cdef-EXAMPLEaaaaa')]),
    'allowed', matched=[M('resource', 'AllowIfExternalIdMatches')])
add('write-results-external-id-suffix-wildcard',
    "AllowIfExternalIdMatches: the trailing '*' after the membership id allows a suffix (...EXAMPLEaaaaa-query-7). Allowed." + REPL,
    SRC_WRITE, {"resource": wr}, R(CR, 'sts:AssumeRole', R_WRITE, context=[ext('arn:aws:cleanrooms:us-east-1:555555555555:dbuser:cleanrooms/a1b2c3d4-5678-90ab-cdef-EXAMPLEaaaaa-query-7')]),
    'allowed', matched=[M('resource', 'AllowIfExternalIdMatches')])
add('write-results-external-id-other-membership',
    "AllowIfExternalIdMatches: external ID for a different membership id (...EXAMPLEbbbbb). No aws:SourceArn. Implicit deny." + REPL,
    SRC_WRITE, {"resource": wr}, R(CR, 'sts:AssumeRole', R_WRITE, context=[ext('arn:aws:cleanrooms:us-east-1:555555555555:dbuser:cleanrooms/a1b2c3d4-5678-90ab-cdef-EXAMPLEbbbbb')]), 'implicitDeny')
add('write-results-external-id-other-region',
    "AllowIfExternalIdMatches: external ID in region us-west-2 does not match the us-east-1 component. Implicit deny." + REPL,
    SRC_WRITE, {"resource": wr}, R(CR, 'sts:AssumeRole', R_WRITE, context=[ext('arn:aws:cleanrooms:us-west-2:555555555555:dbuser:cleanrooms/a1b2c3d4-5678-90ab-cdef-EXAMPLEaaaaa')]), 'implicitDeny')
add('write-results-both-statements-match',
    "Both statements apply: matching sts:ExternalId and matching aws:SourceArn. Allowed; both Allow statements are reported." + REPL,
    SRC_WRITE, {"resource": wr}, R(CR, 'sts:AssumeRole', R_WRITE, context=[ext('arn:aws:cleanrooms:us-east-1:555555555555:dbuser:cleanrooms/a1b2c3d4-5678-90ab-cdef-EXAMPLEaaaaa'), sa(MEM)]),
    'allowed', matched=[M('resource', 'AllowIfExternalIdMatches'), M('resource', 'AllowIfSourceArnMatches')])
add('write-results-source-arn-as-list-context',
    "aws:SourceArn supplied as a one-element stringList: ForAnyValue:ArnEquals compares each request value; the single value matches. Allowed. (Judgement: the type is normally 'string' for this single-valued key; the set operator result is the same.)",
    SRC_WRITE, {"resource": write_txt}, R(CR, 'sts:AssumeRole', R_WRITE, context=[C('aws:SourceArn', 'stringList', MEM)]), 'allowed', matched=[M('resource', 'AllowIfSourceArnMatches')])

# ---- confused deputy (seed 001) ----
R_CT = f'arn:aws:iam::{A}:role/service-role/cleanrooms-configured-table-role'
M1 = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'; M2 = 'b2c3d4e5-6789-01bc-defa-EXAMPLE22222'
cd = json.loads(cd_txt.replace('<query-runner-membership-id>', M1).replace('<member-1-membership-id>', M1).replace('<member-2-membership-id>', M2))
CDREPL = f" (Placeholders replaced: <query-runner-membership-id> and <member-1-membership-id> = {M1} (member 1, account 111122223333), <member-2-membership-id> = {M2} (member 2, account 444455556666); policy given as an object.)"
add('confused-deputy-member-1-source-arn',
    "Confused-deputy trust policy: ForAnyValue:ArnEquals aws:SourceArn lists both members' membership ARNs; request from member 1's membership. Allowed." + CDREPL,
    SRC_CD, {"resource": cd}, R(CR, 'sts:AssumeRole', R_CT, context=[sa(f'arn:aws:cleanrooms:us-east-1:111122223333:membership/{M1}')]), 'allowed', matched=[M('resource', 'AllowIfSourceArnMatches')])
add('confused-deputy-member-2-source-arn',
    "Confused-deputy trust policy: request from member 2's membership (account 444455556666) - 'each membership ARN must be included in the list'. Allowed." + CDREPL,
    SRC_CD, {"resource": cd}, R(CR, 'sts:AssumeRole', R_CT, context=[sa(f'arn:aws:cleanrooms:us-east-1:444455556666:membership/{M2}')]), 'allowed', matched=[M('resource', 'AllowIfSourceArnMatches')])
add('confused-deputy-new-member-not-listed',
    "Confused-deputy trust policy: a new member's membership ARN that was not added to the condition ('that new member will not be able to access information ... retrieved using that role'). Implicit deny." + CDREPL,
    SRC_CD, {"resource": cd}, R(CR, 'sts:AssumeRole', R_CT, context=[sa('arn:aws:cleanrooms:us-east-1:777788889999:membership/c3d4e5f6-7890-12cd-efab-EXAMPLE33333')]), 'implicitDeny')
add('confused-deputy-member-1-id-wrong-account',
    "Confused-deputy trust policy: member 1's membership id under account 444455556666 (swapped) does not equal either listed ARN. Implicit deny." + CDREPL,
    SRC_CD, {"resource": cd}, R(CR, 'sts:AssumeRole', R_CT, context=[sa(f'arn:aws:cleanrooms:us-east-1:444455556666:membership/{M1}')]), 'implicitDeny')
add('confused-deputy-external-id-query-runner',
    "Confused-deputy trust policy, statement AllowIfExternalIdMatches: StringLike sts:ExternalId arn:aws:*:us-east-1:*:dbuser:*/<query-runner-membership-id>*; external ID arn:aws:cleanrooms:us-east-1:111122223333:dbuser:cleanrooms/<id> matches. Allowed." + CDREPL,
    SRC_CD, {"resource": cd}, R(CR, 'sts:AssumeRole', R_CT, context=[ext(f'arn:aws:cleanrooms:us-east-1:111122223333:dbuser:cleanrooms/{M1}')]), 'allowed', matched=[M('resource', 'AllowIfExternalIdMatches')])
add('confused-deputy-external-id-other-runner',
    "Confused-deputy trust policy: external ID carries member 2's membership id, not the query runner's. Implicit deny." + CDREPL,
    SRC_CD, {"resource": cd}, R(CR, 'sts:AssumeRole', R_CT, context=[ext(f'arn:aws:cleanrooms:us-east-1:444455556666:dbuser:cleanrooms/{M2}')]), 'implicitDeny')
add('confused-deputy-external-id-stringlike-crosses-colons',
    "Confused-deputy trust policy uses StringLike (not ArnLike) on sts:ExternalId, so '*' may span colons: external ID arn:aws:cleanrooms:us-east-1:111122223333:dbuser:a:b:c/<query-runner-id> still matches. Allowed." + CDREPL,
    SRC_CD + '; ' + UG + 'reference_policies_elements_condition_operators.html', {"resource": cd},
    R(CR, 'sts:AssumeRole', R_CT, context=[ext(f'arn:aws:cleanrooms:us-east-1:111122223333:dbuser:a:b:c/{M1}')]), 'allowed', matched=[M('resource', 'AllowIfExternalIdMatches')])
add('confused-deputy-no-context',
    "Confused-deputy trust policy with no aws:SourceArn and no sts:ExternalId: StringLike on a missing key is false; ForAnyValue on a missing key is false. Implicit deny." + CDREPL,
    SRC_CD, {"resource": cd}, R(CR, 'sts:AssumeRole', R_CT), 'implicitDeny')
add('confused-deputy-exact-text-placeholders',
    "Confused-deputy trust policy exactly as printed in the seed (placeholders <member-1-membership-id> etc. left in place). A real membership ARN does not equal the placeholder ARN. Implicit deny.",
    SRC_CD, {"resource": cd_txt}, R(CR, 'sts:AssumeRole', R_CT, context=[sa(f'arn:aws:cleanrooms:us-east-1:111122223333:membership/{M1}')]), 'implicitDeny')

# ---- Clean Rooms ML trust policies (arn:aw: typo) ----
def ml_variants(txt, rtype):
    repl = json.loads(txt)
    c = repl['Statement'][0]['Condition']
    c['StringEqualsIfExists']['aws:SourceAccount'] = [A]
    c['StringLikeIfExists']['aws:SourceArn'] = c['StringLikeIfExists']['aws:SourceArn'].replace(':region:account:', f':us-east-1:{A}:')
    fixed = json.loads(json.dumps(repl))
    fixed['Statement'][0]['Condition']['StringLikeIfExists']['aws:SourceArn'] = fixed['Statement'][0]['Condition']['StringLikeIfExists']['aws:SourceArn'].replace('arn:aw:', 'arn:aws:')
    return repl, fixed
for key, txt, src, rtype, other, rname in [
        ('ml-training', train_txt, SRC_TRAIN, 'training-dataset', 'configured-audience-model', 'cleanrooms-ml-training-data'),
        ('lookalike', lal_txt, SRC_LAL, 'configured-audience-model', 'training-dataset', 'cleanrooms-ml-lookalike-writer'),
        ('seed-data', seed_txt, SRC_SEED, 'audience-generation-job', 'training-dataset', 'cleanrooms-ml-seed-reader')]:
    repl, fixed = ml_variants(txt, rtype)
    role = f'arn:aws:iam::{A}:role/{rname}'
    good_arn = f'arn:aws:cleanrooms-ml:us-east-1:{A}:{rtype}/a1b2c3d4-5678-90ab-cdef-EXAMPLE44444'
    other_arn = f'arn:aws:cleanrooms-ml:us-east-1:{A}:{other}/a1b2c3d4-5678-90ab-cdef-EXAMPLE55555'
    RP = f" (Placeholders yourAccount/account -> {A}, region -> us-east-1; the seed's 'arn:aw:' typo is kept; policy given as an object.)"
    FX = f" (Placeholders replaced and the seed's 'arn:aw:' typo corrected to 'arn:aws:'; policy given as an object - a corrected variant, not seed text.)"
    add(f'{key}-exact-no-context-allowed',
        f"Clean Rooms ML {rtype} service-role trust policy, exact seed text: StringEqualsIfExists aws:SourceAccount [yourAccount] and StringLikeIfExists aws:SourceArn arn:aw:cleanrooms-ml:region:account:{rtype}/*. With neither key in the request both ...IfExists conditions are true. Allowed.",
        src, {"resource": txt}, R(ML, 'sts:AssumeRole', role), 'allowed', matched=[M('resource', 'AllowAssumeRole')])
    add(f'{key}-exact-source-arn-present-denied',
        f"Exact seed text: when the service sends aws:SourceArn ({good_arn}), StringLikeIfExists compares it with the seed pattern beginning 'arn:aw:' (typo for arn:aws:, plus unreplaced placeholders) - no match. Implicit deny.",
        src, {"resource": txt}, R(ML, 'sts:AssumeRole', role, context=[sa(good_arn)]), 'implicitDeny')
    add(f'{key}-typo-source-account-only-allowed',
        f"Placeholder-replaced policy with the 'arn:aw:' typo: aws:SourceAccount = {A} matches and aws:SourceArn is absent (IfExists -> true). Allowed." + RP,
        src, {"resource": repl}, R(ML, 'sts:AssumeRole', role, context=[sacct(A)]), 'allowed', matched=[M('resource', 'AllowAssumeRole')])
    add(f'{key}-typo-source-arn-present-denied',
        f"Placeholder-replaced policy with the 'arn:aw:' typo: the real aws:SourceArn {good_arn} starts with 'arn:aws:' and cannot match the pattern 'arn:aw:cleanrooms-ml:us-east-1:{A}:{rtype}/*'. Implicit deny - the typo makes the role unusable whenever the service sends aws:SourceArn." + RP,
        src, {"resource": repl}, R(ML, 'sts:AssumeRole', role, context=[sacct(A), sa(good_arn)]), 'implicitDeny')
    add(f'{key}-typo-wrong-source-account-denied',
        f"Placeholder-replaced policy: aws:SourceAccount 444455556666 is not {A}; StringEqualsIfExists with the key present is a normal StringEquals. Implicit deny." + RP,
        src, {"resource": repl}, R(ML, 'sts:AssumeRole', role, context=[sacct('444455556666')]), 'implicitDeny')
    add(f'{key}-fixed-source-arn-allowed',
        f"Corrected policy: aws:SourceArn {good_arn} matches arn:aws:cleanrooms-ml:us-east-1:{A}:{rtype}/* and aws:SourceAccount matches. Allowed." + FX,
        src, {"resource": fixed}, R(ML, 'sts:AssumeRole', role, context=[sacct(A), sa(good_arn)]), 'allowed', matched=[M('resource', 'AllowAssumeRole')])
    add(f'{key}-fixed-other-resource-type-denied',
        f"Corrected policy: aws:SourceArn of a different Clean Rooms ML resource type ({other}) does not match {rtype}/*. Implicit deny." + FX,
        src, {"resource": fixed}, R(ML, 'sts:AssumeRole', role, context=[sacct(A), sa(other_arn)]), 'implicitDeny')
    add(f'{key}-cleanrooms-service-denied',
        f"Exact seed text names cleanrooms-ml.amazonaws.com; the AWS Clean Rooms service principal cleanrooms.amazonaws.com is not trusted even with no conditions in play. Implicit deny.",
        src, {"resource": txt}, R(CR, 'sts:AssumeRole', role), 'implicitDeny')
# extra: corrected policy, source ARN from another account
repl, fixed = ml_variants(train_txt, 'training-dataset')
add('ml-training-fixed-other-account-arn-denied',
    f"Corrected training-data trust policy: aws:SourceArn is a training dataset of account 444455556666 (confused-deputy attempt) while aws:SourceAccount is absent; the account component fails StringLike. Implicit deny. (Corrected variant, not seed text.)",
    SRC_TRAIN, {"resource": fixed}, R(ML, 'sts:AssumeRole', f'arn:aws:iam::{A}:role/cleanrooms-ml-training-data', context=[sa('arn:aws:cleanrooms-ml:us-east-1:444455556666:training-dataset/a1b2c3d4-5678-90ab-cdef-EXAMPLE66666')]), 'implicitDeny')
write(T, cases)
