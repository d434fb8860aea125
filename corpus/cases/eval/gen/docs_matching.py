from lib import *
T = 'docs-matching'
cases = []
def add(suffix, *a, **k):
    cases.append(case(T + '-' + suffix, *a, **k))
alice = 'arn:aws:iam::111122223333:user/alice'
SRC_RES = UG + 'reference_policies_elements_resource.html'
SRC_ACT = UG + 'reference_policies_elements_action.html'
SRC_OPS = UG + 'reference_policies_elements_condition_operators.html'
SRC_GCK = UG + 'reference_policies_condition-keys.html'

# B1
b1 = P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*/test/*', sid='TestFolders'))
rows = [
    ('amzn-s3-demo-bucket/1/test/object.jpg', True, 'one-level'),
    ('amzn-s3-demo-bucket/1/2/test/object.jpg', True, 'two-levels-before-test'),
    ('amzn-s3-demo-bucket/1/2/test/3/object.jpg', True, 'levels-before-and-after-test'),
    ('amzn-s3-demo-bucket/1/2/3/test/4/object.jpg', True, 'three-levels-before-test'),
    ('amzn-s3-demo-bucket/1///test///object.jpg', True, 'repeated-slashes'),
    ('amzn-s3-demo-bucket/1/test/.jpg', True, 'dot-jpg-name'),
    ('amzn-s3-demo-bucket//test/object.jpg', True, 'empty-first-level'),
    ('amzn-s3-demo-bucket/1/test/', True, 'trailing-slash-empty-name'),
    ('amzn-s3-demo-bucket/1-test/object.jpg', False, 'hyphen-not-slash'),
    ('amzn-s3-demo-bucket/test/object.jpg', False, 'test-directly-under-bucket'),
    ('amzn-s3-demo-bucket/1/2/test.jpg', False, 'test-as-file-name'),
]
for i, (suffix, ok, name) in enumerate(rows, 1):
    add(f'b1-row{i}-{name}',
        f"B1 resource wildcard table row {i}: pattern arn:aws:s3:::amzn-s3-demo-bucket/*/test/* vs arn:aws:s3:::{suffix} -> page says {'match' if ok else 'no match'}. '*' can expand to replace everything within a segment including '/', and can match the empty string.",
        SRC_RES, {"identity": [b1]},
        R(alice, 's3:GetObject', 'arn:aws:s3:::' + suffix),
        'allowed' if ok else 'implicitDeny',
        matched=[M('identity[0]', 'TestFolders')] if ok else None)
acc = P(S('Allow', 'iam:GetUser', 'arn:aws:iam::111122223333:user/accounting/*', sid='AccountingUsers'))
add('b1-iam-path-accounting-user-allowed',
    "B1: 'arn:aws:iam::ACCOUNT:user/accounting/*' = all IAM users with path /accounting. User ARN arn:aws:iam::111122223333:user/accounting/jane matches.",
    SRC_RES, {"identity": [acc]}, R(alice, 'iam:GetUser', 'arn:aws:iam::111122223333:user/accounting/jane'),
    'allowed', matched=[M('identity[0]', 'AccountingUsers')])
add('b1-iam-path-other-path-not-matched',
    "B1: user/accounting/* does not match a user with path /engineering (arn:aws:iam::111122223333:user/engineering/jane).",
    SRC_RES, {"identity": [acc]}, R(alice, 'iam:GetUser', 'arn:aws:iam::111122223333:user/engineering/jane'),
    'implicitDeny')
add('b1-iam-path-nested-path-matched',
    "B1: '*' crosses '/' so user/accounting/* also matches a user with nested path /accounting/payroll/ (arn:aws:iam::111122223333:user/accounting/payroll/jane).",
    SRC_RES, {"identity": [acc]}, R(alice, 'iam:GetUser', 'arn:aws:iam::111122223333:user/accounting/payroll/jane'),
    'allowed', matched=[M('identity[0]', 'AccountingUsers')])

# B2
B2V = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt'
B2P = 'arn:aws:someservice:*:111122223333:finance/*'
add('b2-stringlike-crosses-colons-match',
    "B2: StringLike treats the ARN as a plain string: pattern arn:aws:someservice:*:111122223333:finance/* matches value arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt (the first '*' matches 'us-east-2:999999999999:store/abc'). Allowed.",
    SRC_OPS + ' (Amazon Resource Name (ARN) condition operators)',
    {"identity": [P(S('Allow', 's3:GetObject', '*', sid='SourceArnStringLike', cond={"StringLike": {"aws:SourceArn": B2P}}))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt', context=[C('aws:SourceArn', 'string', B2V)]),
    'allowed', matched=[M('identity[0]', 'SourceArnStringLike')])
add('b2-arnlike-component-wise-no-match',
    "B2: ArnLike 'matches elements between colons': the account component 999999999999 is not 111122223333, so the same pattern/value pair does not match. Implicit deny.",
    SRC_OPS + ' (Amazon Resource Name (ARN) condition operators)',
    {"identity": [P(S('Allow', 's3:GetObject', '*', sid='SourceArnArnLike', cond={"ArnLike": {"aws:SourceArn": B2P}}))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt', context=[C('aws:SourceArn', 'string', B2V)]),
    'implicitDeny')
add('b2-arnlike-matching-arn',
    "B2 contrast: ArnLike with the same pattern and a value whose components line up (arn:aws:someservice:us-east-2:111122223333:finance/document.txt) matches. Allowed.",
    SRC_OPS + ' (Amazon Resource Name (ARN) condition operators)',
    {"identity": [P(S('Allow', 's3:GetObject', '*', sid='SourceArnArnLike', cond={"ArnLike": {"aws:SourceArn": B2P}}))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt', context=[C('aws:SourceArn', 'string', 'arn:aws:someservice:us-east-2:111122223333:finance/document.txt')]),
    'allowed', matched=[M('identity[0]', 'SourceArnArnLike')])

# B3
add('b3-action-request-mixed-case',
    "B3: 'The prefix and the action name are case insensitive. For example, iam:ListAccessKeys is the same as IAM:listaccesskeys.' Policy iam:ListAccessKeys, request IAM:listaccesskeys. Allowed.",
    SRC_ACT, {"identity": [P(S('Allow', 'iam:ListAccessKeys', '*', sid='ListKeys'))]},
    R(alice, 'IAM:listaccesskeys', 'arn:aws:iam::111122223333:user/alice'), 'allowed', matched=[M('identity[0]', 'ListKeys')])
add('b3-action-policy-mixed-case',
    "B3: policy action written IAM:listaccesskeys, request iam:ListAccessKeys - same action. Allowed.",
    SRC_ACT, {"identity": [P(S('Allow', 'IAM:listaccesskeys', '*', sid='ListKeys'))]},
    R(alice, 'iam:ListAccessKeys', 'arn:aws:iam::111122223333:user/alice'), 'allowed', matched=[M('identity[0]', 'ListKeys')])
ak = P(S('Allow', 'iam:*AccessKey*', 'arn:aws:iam::111122223333:user/*', sid='AccessKeys'))
for act in ['CreateAccessKey', 'DeleteAccessKey', 'ListAccessKeys', 'UpdateAccessKey']:
    add('b3-accesskey-wildcard-' + act.lower(),
        f"B3: iam:*AccessKey* applies to CreateAccessKey, DeleteAccessKey, ListAccessKeys and UpdateAccessKey. Request iam:{act}. Allowed.",
        SRC_ACT, {"identity": [ak]}, R(alice, 'iam:' + act, 'arn:aws:iam::111122223333:user/bob'), 'allowed',
        matched=[M('identity[0]', 'AccessKeys')])
for act in ['ListUsers', 'CreateUser', 'ListSSHPublicKeys']:
    add('b3-accesskey-wildcard-not-' + act.lower(),
        f"B3: iam:*AccessKey* does not match iam:{act} (no 'AccessKey' substring). Implicit deny.",
        SRC_ACT, {"identity": [ak]}, R(alice, 'iam:' + act, 'arn:aws:iam::111122223333:user/bob'), 'implicitDeny')
add('b3-accesskey-wildcard-getaccesskeylastused',
    "B3 (pattern semantics): iam:GetAccessKeyLastUsed contains 'AccessKey', so iam:*AccessKey* matches it as a wildcard even though the page's example list names only the four key-management actions. Allowed. (Judgement: the page's list is illustrative; wildcard matching is mechanical.)",
    SRC_ACT, {"identity": [ak]}, R(alice, 'iam:GetAccessKeyLastUsed', 'arn:aws:iam::111122223333:user/bob'), 'allowed',
    matched=[M('identity[0]', 'AccessKeys')])
add('b3-accesskey-wildcard-other-service-not-matched',
    "B3: the service prefix is part of the match: iam:*AccessKey* does not match sts:GetAccessKeyInfo, whose action name contains 'AccessKey' but whose prefix is sts. Implicit deny.",
    SRC_ACT, {"identity": [ak]}, R(alice, 'sts:GetAccessKeyInfo', '*'), 'implicitDeny')
add('b3-service-wildcard-s3-star',
    "B3: s3:* = all S3 actions; s3:PutBucketPolicy matches.",
    SRC_ACT, {"identity": [P(S('Allow', 's3:*', '*', sid='AllS3'))]}, R(alice, 's3:PutBucketPolicy', 'arn:aws:s3:::amzn-s3-demo-bucket'),
    'allowed', matched=[M('identity[0]', 'AllS3')])
add('b3-service-wildcard-s3-star-not-other-service',
    "B3: s3:* does not cover actions of other services (s3-object-lambda is a different prefix; here ec2:RunInstances). Implicit deny.",
    SRC_ACT, {"identity": [P(S('Allow', 's3:*', '*', sid='AllS3'))]}, R(alice, 'ec2:RunInstances', '*'), 'implicitDeny')
add('b3-action-star-all-actions',
    "B3: \"Action\": \"*\" = all actions of all services; cleanrooms:CreateCollaboration matches.",
    SRC_ACT, {"identity": [P(S('Allow', '*', '*', sid='Everything'))]},
    R(alice, 'cleanrooms:CreateCollaboration', 'arn:aws:cleanrooms:us-east-1:111122223333:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'),
    'allowed', matched=[M('identity[0]', 'Everything')])
add('b3-action-question-mark-single-char',
    "Action element: single-character wildcard '?' is allowed in the action name (current text). iam:GetUse? matches iam:GetUser.",
    SRC_ACT, {"identity": [P(S('Allow', 'iam:GetUse?', '*', sid='QMark'))]}, R(alice, 'iam:GetUser', 'arn:aws:iam::111122223333:user/bob'),
    'allowed', matched=[M('identity[0]', 'QMark')])
add('b3-action-question-mark-not-two-chars',
    "Action element: '?' matches exactly one character, so iam:GetUse? does not match iam:GetUserPolicy. Implicit deny.",
    SRC_ACT, {"identity": [P(S('Allow', 'iam:GetUse?', '*', sid='QMark'))]}, R(alice, 'iam:GetUserPolicy', 'arn:aws:iam::111122223333:user/bob'),
    'implicitDeny')
add('b3-action-wildcard-case-insensitive',
    "Action element: case-insensitive matching also applies to wildcard patterns: CLEANROOMS:get* matches cleanrooms:GetCollaboration.",
    SRC_ACT, {"identity": [P(S('Allow', 'CLEANROOMS:get*', '*', sid='GetStar'))]},
    R(alice, 'cleanrooms:GetCollaboration', 'arn:aws:cleanrooms:us-east-1:111122223333:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'),
    'allowed', matched=[M('identity[0]', 'GetStar')])

# B4
PATHS = {
    'direct': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/'],
    'child': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/ou-ab12-33333333/'],
    'sibling': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-44444444/'],
    'other-org': ['o-zzzzzzzzzz/r-zz99/ou-zz99-55555555/'],
}
b4 = [
    ('stringequals-exact-ou', 'ForAnyValue:StringEquals', 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/',
     {'direct': True, 'child': False}, "accounts attached directly to ou-ab12-22222222, not its child OUs"),
    ('stringlike-ou-and-children', 'ForAnyValue:StringLike', 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/*',
     {'direct': True, 'child': True, 'sibling': False}, "that OU or any child OU"),
    ('stringlike-children-only', 'ForAnyValue:StringLike', 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/ou-*',
     {'direct': False, 'child': True}, "only child OUs (and their children)"),
    ('stringlike-whole-org', 'ForAnyValue:StringLike', 'o-a1b2c3d4e5/*',
     {'sibling': True, 'other-org': False}, "every principal in the organization"),
]
for name, op, val, outcomes, meaning in b4:
    pol = P(S('Allow', 's3:GetObject', '*', sid='OrgPathGrant', cond={op: {"aws:PrincipalOrgPaths": val}}))
    for where, ok in outcomes.items():
        add(f'b4-{name}-{where}',
            f"B4: {op} aws:PrincipalOrgPaths '{val}' is true for {meaning}. Principal's org path {PATHS[where][0]} -> {'match' if ok else 'no match'}. aws:PrincipalOrgPaths is multivalued (stringList).",
            SRC_GCK + '#condition-keys-principalorgpaths', {"identity": [pol]},
            R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt', context=[C('aws:PrincipalOrgPaths', 'stringList', *PATHS[where])]),
            'allowed' if ok else 'implicitDeny', matched=[M('identity[0]', 'OrgPathGrant')] if ok else None)

# Resource case sensitivity, ? wildcard
add('resource-s3-key-case-sensitive',
    "Resource matching is case-sensitive for the resource part: Resource arn:aws:s3:::amzn-s3-demo-bucket/Photos/* does not match object photos/cat.jpg (lower-case p). ARN condition operators are documented as case-sensitive and S3 keys are case-sensitive. Implicit deny.",
    SRC_RES, {"identity": [P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/Photos/*', sid='Photos'))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/photos/cat.jpg'), 'implicitDeny')
add('resource-s3-key-same-case-matches',
    "Contrast: same policy, object Photos/cat.jpg (same case) matches.",
    SRC_RES, {"identity": [P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/Photos/*', sid='Photos'))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/Photos/cat.jpg'), 'allowed', matched=[M('identity[0]', 'Photos')])
add('resource-iam-user-name-case-sensitive',
    "Resource page (current text): 'In the Resource element, the IAM user name is case sensitive.' Resource arn:aws:iam::111122223333:user/Bob does not match request resource .../user/bob. Implicit deny. (Judgement: the 2023 text said user names are 'unique and case-insensitive'; current text governs.)",
    SRC_RES, {"identity": [P(S('Allow', 'iam:GetUser', 'arn:aws:iam::111122223333:user/Bob', sid='Bob'))]},
    R(alice, 'iam:GetUser', 'arn:aws:iam::111122223333:user/bob'), 'implicitDeny')
add('resource-question-mark-one-char',
    "Resource element: '?' matches exactly one character within a segment. arn:aws:s3:::amzn-s3-demo-bucket/file?.txt matches file1.txt.",
    SRC_RES, {"identity": [P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/file?.txt', sid='QMark'))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/file1.txt'), 'allowed', matched=[M('identity[0]', 'QMark')])
add('resource-question-mark-not-two-chars',
    "Resource element: file?.txt does not match file10.txt ('?' is exactly one character).",
    SRC_RES, {"identity": [P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/file?.txt', sid='QMark'))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/file10.txt'), 'implicitDeny')
add('resource-question-mark-not-zero-chars',
    "Resource element: file?.txt does not match file.txt ('?' cannot match the empty string).",
    SRC_RES, {"identity": [P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/file?.txt', sid='QMark'))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/file.txt'), 'implicitDeny')
add('resource-wildcard-region-and-account-segments',
    "Resource element: wildcards within individual ARN segments. arn:aws:cleanrooms:*:*:collaboration/* matches a collaboration in us-east-1/111122223333.",
    SRC_RES, {"identity": [P(S('Allow', 'cleanrooms:GetCollaboration', 'arn:aws:cleanrooms:*:*:collaboration/*', sid='AnyCollab'))]},
    R(alice, 'cleanrooms:GetCollaboration', 'arn:aws:cleanrooms:us-east-1:111122223333:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'),
    'allowed', matched=[M('identity[0]', 'AnyCollab')])
add('resource-wildcard-resource-type-mismatch',
    "Resource element: arn:aws:cleanrooms:*:*:collaboration/* does not match a membership ARN (resource type part differs).",
    SRC_RES, {"identity": [P(S('Allow', 'cleanrooms:GetMembership', 'arn:aws:cleanrooms:*:*:collaboration/*', sid='AnyCollab'))]},
    R(alice, 'cleanrooms:GetMembership', 'arn:aws:cleanrooms:us-east-1:111122223333:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222'),
    'implicitDeny')
add('resource-trailing-star-segment-expands-beyond-colons',
    "Resource page (current text): 'If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries.' Resource arn:aws:cleanrooms:* (the region segment is a trailing '*') matches arn:aws:cleanrooms:us-east-1:111122223333:collaboration/... Allowed. (Judgement: this sentence is absent from the 2023 text; AWS recommends keeping wildcards within segments.)",
    SRC_RES, {"identity": [P(S('Allow', 'cleanrooms:GetCollaboration', 'arn:aws:cleanrooms:*', sid='Trailing'))]},
    R(alice, 'cleanrooms:GetCollaboration', 'arn:aws:cleanrooms:us-east-1:111122223333:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'),
    'allowed', matched=[M('identity[0]', 'Trailing')])
add('resource-wildcard-does-not-cross-service',
    "Resource element: arn:aws:cleanrooms:* does not match a cleanrooms-ml ARN - the service segment is compared as a whole and 'You can't use a wildcard in the service segment'.",
    SRC_RES, {"identity": [P(S('Allow', '*', 'arn:aws:cleanrooms:*', sid='Trailing'))]},
    R(alice, 'cleanrooms-ml:GetConfiguredAudienceModel', 'arn:aws:cleanrooms-ml:us-east-1:111122223333:configured-audience-model/id'),
    'implicitDeny')

# NotAction / NotResource / Action * / Resource *
add('notaction-allow-other-service-allowed',
    "NotAction with Allow: Allow NotAction iam:* on * allows every action except IAM ones; s3:GetObject is allowed.",
    UG + 'reference_policies_grammar.html (action_block: Action | NotAction); ' + SRC_ACT, {"identity": [P(S('Allow', notaction='iam:*', resource='*', sid='AllButIam'))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt'), 'allowed', matched=[M('identity[0]', 'AllButIam')])
add('notaction-allow-excluded-action-not-allowed',
    "NotAction with Allow: iam:CreateUser is in the excluded set, so the statement does not apply - nothing else allows it. Implicit deny (NotAction does not deny).",
    UG + 'reference_policies_grammar.html (action_block: Action | NotAction); ' + SRC_ACT, {"identity": [P(S('Allow', notaction='iam:*', resource='*', sid='AllButIam'))]},
    R(alice, 'iam:CreateUser', 'arn:aws:iam::111122223333:user/bob'), 'implicitDeny')
na_deny = P(S('Allow', '*', '*', sid='AllowAll'),
            S('Deny', notaction=['iam:ChangePassword', 'iam:GetUser'], resource='*', sid='DenyAllButPasswordChange'))
add('notaction-deny-other-actions-denied',
    "NotAction with Deny: Deny NotAction [iam:ChangePassword, iam:GetUser] denies every other action; s3:ListBucket is denied even though AllowAll allows it.",
    UG + 'reference_policies_grammar.html (action_block: Action | NotAction); ' + SRC_ACT, {"identity": [na_deny]},
    R(alice, 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket'), 'explicitDeny', matched=[M('identity[0]', 'DenyAllButPasswordChange')])
add('notaction-deny-listed-action-not-denied',
    "NotAction with Deny: iam:ChangePassword is listed, so the Deny does not apply; AllowAll allows. Allowed.",
    UG + 'reference_policies_grammar.html (action_block: Action | NotAction); ' + SRC_ACT, {"identity": [na_deny]},
    R(alice, 'iam:ChangePassword', 'arn:aws:iam::111122223333:user/alice'), 'allowed', matched=[M('identity[0]', 'AllowAll')])
add('notaction-listed-action-case-insensitive',
    "NotAction entries are action names and match case-insensitively: NotAction IAM:getuser excludes iam:GetUser, so the Deny does not apply. Allowed.",
    UG + 'reference_policies_grammar.html (action_block: Action | NotAction); ' + SRC_ACT,
    {"identity": [P(S('Allow', '*', '*', sid='AllowAll'), S('Deny', notaction='IAM:getuser', resource='*', sid='DenyAllButGetUser'))]},
    R(alice, 'iam:GetUser', 'arn:aws:iam::111122223333:user/alice'), 'allowed', matched=[M('identity[0]', 'AllowAll')])
nr = P(S('Allow', 's3:GetObject', notresource='arn:aws:s3:::amzn-s3-demo-bucket/private/*', sid='AllButPrivate'))
add('notresource-allow-other-object-allowed',
    "NotResource with Allow: applies to every resource except those listed; public/a.txt is not under private/. Allowed.",
    UG + 'reference_policies_grammar.html (resource_block: Resource | NotResource); ' + SRC_RES, {"identity": [nr]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/public/a.txt'), 'allowed', matched=[M('identity[0]', 'AllButPrivate')])
add('notresource-allow-excluded-object-not-allowed',
    "NotResource with Allow: private/a.txt is excluded, so the statement does not apply. Implicit deny.",
    UG + 'reference_policies_grammar.html (resource_block: Resource | NotResource); ' + SRC_RES, {"identity": [nr]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/private/a.txt'), 'implicitDeny')
nrd = P(S('Allow', 's3:*', '*', sid='AllowS3'),
        S('Deny', 's3:*', notresource=['arn:aws:s3:::amzn-s3-demo-bucket', 'arn:aws:s3:::amzn-s3-demo-bucket/*'], sid='DenyOtherBuckets'))
add('notresource-deny-other-bucket-denied',
    "NotResource with Deny: denies s3:* on every resource except amzn-s3-demo-bucket and its objects; an object in another bucket is denied.",
    UG + 'reference_policies_grammar.html (resource_block: Resource | NotResource); ' + SRC_RES, {"identity": [nrd]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::other-bucket/a.txt'), 'explicitDeny', matched=[M('identity[0]', 'DenyOtherBuckets')])
add('notresource-deny-listed-bucket-not-denied',
    "NotResource with Deny: objects of amzn-s3-demo-bucket are excluded from the Deny; AllowS3 allows. Allowed.",
    UG + 'reference_policies_grammar.html (resource_block: Resource | NotResource); ' + SRC_RES, {"identity": [nrd]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt'), 'allowed', matched=[M('identity[0]', 'AllowS3')])
add('resource-star-matches-any-arn',
    "Resource \"*\" matches every resource ARN.",
    SRC_RES, {"identity": [P(S('Allow', 'cleanrooms-ml:GetTrainingDataset', '*', sid='AnyResource'))]},
    R(alice, 'cleanrooms-ml:GetTrainingDataset', 'arn:aws:cleanrooms-ml:us-east-1:111122223333:training-dataset/ds-1'),
    'allowed', matched=[M('identity[0]', 'AnyResource')])
add('resource-star-matches-star-request',
    "Resource \"*\" matches a request whose resource is \"*\" (actions without resource-level permissions, e.g. cleanrooms:ListCollaborations).",
    SRC_RES, {"identity": [P(S('Allow', 'cleanrooms:ListCollaborations', '*', sid='AnyResource'))]},
    R(alice, 'cleanrooms:ListCollaborations', '*'), 'allowed', matched=[M('identity[0]', 'AnyResource')])
add('resource-specific-arn-does-not-match-other-region',
    "Resource given as a full ARN with region us-east-1 does not match the same resource id in us-west-2.",
    SRC_RES, {"identity": [P(S('Allow', 'cleanrooms:GetCollaboration', 'arn:aws:cleanrooms:us-east-1:111122223333:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', sid='One'))]},
    R(alice, 'cleanrooms:GetCollaboration', 'arn:aws:cleanrooms:us-west-2:111122223333:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'),
    'implicitDeny')
add('action-star-and-resource-star-admin',
    "Action \"*\" with Resource \"*\" (administrator access) allows any action on any resource for which identity policies suffice; iam:DeleteRole on a role in the same account. Allowed.",
    SRC_ACT, {"identity": [P(S('Allow', '*', '*', sid='Admin'))]},
    R(alice, 'iam:DeleteRole', 'arn:aws:iam::111122223333:role/examplerole'), 'allowed', matched=[M('identity[0]', 'Admin')])
add('statement-single-object-form',
    "Grammar: Statement may be a single object and Action/Resource single strings instead of arrays. {\"Statement\": {...}} with Version 2012-10-17 allows s3:GetObject.",
    UG + 'reference_policies_grammar.html',
    {"identity": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}}]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt'), 'allowed', matched=[M('identity[0]', statement=0)])
write(T, cases)
