from lib import *
T = 'variables'
cases = []
SRC = UG + 'reference_policies_variables.html'
SRC_V = UG + 'reference_policies_elements_version.html'
def add(suffix, *a, **k):
    cases.append(case(T + '-' + suffix, *a, **k))
A = '111122223333'
alice = f'arn:aws:iam::{A}:user/alice'
bob = f'arn:aws:iam::{A}:user/bob'
sess = f'arn:aws:sts::{A}:assumed-role/DevRole/alice-session'
own = P(S('Allow', ['iam:GetUser', 'iam:ListAccessKeys', 'iam:CreateAccessKey'], 'arn:aws:iam::111122223333:user/${aws:username}', sid='OwnUser'))
add('username-in-resource-own-user-allowed',
    "${aws:username} in Resource resolves to the requesting IAM user's name (aws:username is present for IAM users). alice acting on arn:aws:iam::111122223333:user/alice. Allowed.",
    SRC, {"identity": [own]}, R(alice, 'iam:ListAccessKeys', alice), 'allowed', matched=[M('identity[0]', 'OwnUser')])
add('username-in-resource-other-user-not-allowed',
    "${aws:username} resolves to alice; the request targets user/bob. Implicit deny.",
    SRC, {"identity": [own]}, R(alice, 'iam:ListAccessKeys', bob), 'implicitDeny')
add('username-in-resource-role-session-no-value',
    "aws:username is not present for IAM roles; for a role session the variable has no value and 'the resource that includes a policy variable with no value will not match any resource'. Implicit deny.",
    SRC, {"identity": [own]}, R(sess, 'iam:ListAccessKeys', 'arn:aws:iam::111122223333:user/alice-session'), 'implicitDeny')
add('username-derived-for-user-with-path',
    "aws:username is the user's friendly name, without the IAM path: user arn:aws:iam::111122223333:user/engineering/alice has aws:username 'alice'. Resource arn:aws:iam::111122223333:user/engineering/${aws:username} matches. Allowed.",
    SRC + ' (principal key values table)', {"identity": [P(S('Allow', 'iam:GetUser', 'arn:aws:iam::111122223333:user/engineering/${aws:username}', sid='OwnUser'))]},
    R(f'arn:aws:iam::{A}:user/engineering/alice', 'iam:GetUser', f'arn:aws:iam::{A}:user/engineering/alice'), 'allowed', matched=[M('identity[0]', 'OwnUser')])
add('variable-key-name-case-insensitive',
    "Policy variable key names are case-insensitive: ${AWS:UserName} resolves like ${aws:username}. Allowed.",
    SRC, {"identity": [P(S('Allow', 'iam:GetUser', 'arn:aws:iam::111122223333:user/${AWS:UserName}', sid='OwnUser'))]},
    R(alice, 'iam:GetUser', alice), 'allowed', matched=[M('identity[0]', 'OwnUser')])
add('username-in-s3-prefix-resource',
    "${aws:username} in an S3 object Resource: arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/* lets alice read home/alice/notes.txt. Allowed.",
    SRC, {"identity": [P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*', sid='HomeDir'))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/home/alice/notes.txt'), 'allowed', matched=[M('identity[0]', 'HomeDir')])
add('username-in-s3-prefix-resource-other-home',
    "Same policy: alice reading home/bob/notes.txt does not match home/alice/*. Implicit deny.",
    SRC, {"identity": [P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*', sid='HomeDir'))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/home/bob/notes.txt'), 'implicitDeny')

tb = P(S('Allow', 's3:ListBucket', "arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}", sid='TeamBucket'))
add('default-value-tag-present-own-bucket',
    "${aws:PrincipalTag/team, 'company-wide'}: principal tagged team=yellow -> DOC-EXAMPLE-BUCKET-yellow. Allowed.",
    SRC, {"identity": [tb]}, R(alice, 's3:ListBucket', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow', context=[C('aws:PrincipalTag/team', 'string', 'yellow')]),
    'allowed', matched=[M('identity[0]', 'TeamBucket')])
add('default-value-tag-present-default-bucket-not-allowed',
    "The default applies only when the key is absent: a principal tagged team=yellow does not get DOC-EXAMPLE-BUCKET-company-wide. Implicit deny.",
    SRC, {"identity": [tb]}, R(alice, 's3:ListBucket', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide', context=[C('aws:PrincipalTag/team', 'string', 'yellow')]),
    'implicitDeny')
add('default-value-tag-absent-default-bucket',
    "Principal without a team tag -> default value: DOC-EXAMPLE-BUCKET-company-wide. Allowed.",
    SRC, {"identity": [tb]}, R(alice, 's3:ListBucket', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide'), 'allowed', matched=[M('identity[0]', 'TeamBucket')])
add('default-value-tag-absent-team-bucket-not-allowed',
    "Principal without a team tag: the resource resolves to DOC-EXAMPLE-BUCKET-company-wide, not DOC-EXAMPLE-BUCKET-yellow. Implicit deny.",
    SRC, {"identity": [tb]}, R(alice, 's3:ListBucket', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow'), 'implicitDeny')
add('default-value-in-condition',
    "A default value also works in a condition value: StringEquals aws:ResourceTag/team = ${aws:PrincipalTag/team, 'company-wide'}; untagged principal, resource tagged team=company-wide. Allowed.",
    SRC, {"identity": [P(S('Allow', 'ec2:StartInstances', '*', sid='SameTeam', cond={"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team, 'company-wide'}"}}))]},
    R(alice, 'ec2:StartInstances', f'arn:aws:ec2:us-east-1:{A}:instance/i-0abcd1234ef567890', context=[C('aws:ResourceTag/team', 'string', 'company-wide')]),
    'allowed', matched=[M('identity[0]', 'SameTeam')])
add('unresolvable-variable-no-default-in-resource',
    "${aws:PrincipalTag/team} without a default and the principal is untagged: 'the resource that includes a policy variable with no value will not match any resource'. Implicit deny (even for a bucket literally named DOC-EXAMPLE-BUCKET-).",
    SRC, {"identity": [P(S('Allow', 's3:ListBucket', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team}', sid='TeamBucket'))]},
    R(alice, 's3:ListBucket', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-'), 'implicitDeny')
add('unresolvable-variable-one-of-two-resources',
    "Only the Resource entry with the unresolvable variable is dropped; the statement's other Resource entry still matches. Allowed. (Judgement: the page also warns an unresolved variable 'might cause the entire statement to be invalid'; this case follows the per-resource wording.)",
    SRC, {"identity": [P(S('Allow', 's3:ListBucket', ['arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team}', 'arn:aws:s3:::shared-bucket'], sid='Buckets'))]},
    R(alice, 's3:ListBucket', 'arn:aws:s3:::shared-bucket'), 'allowed', matched=[M('identity[0]', 'Buckets')])

# special chars
add('special-star-literal-in-stringlike',
    "${*} represents a literal '*' (not a wildcard): StringLike aws:PrincipalTag/code = 'abc${*}' matches the value 'abc*'. Allowed.",
    SRC + ' (Special characters)', {"identity": [P(S('Allow', 's3:GetObject', '*', sid='Lit', cond={"StringLike": {"aws:PrincipalTag/code": "abc${*}"}}))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt', context=[C('aws:PrincipalTag/code', 'string', 'abc*')]), 'allowed', matched=[M('identity[0]', 'Lit')])
add('special-star-literal-not-wildcard',
    "StringLike 'abc${*}' does not act as a wildcard: value 'abcdef' does not match. Implicit deny.",
    SRC + ' (Special characters)', {"identity": [P(S('Allow', 's3:GetObject', '*', sid='Lit', cond={"StringLike": {"aws:PrincipalTag/code": "abc${*}"}}))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt', context=[C('aws:PrincipalTag/code', 'string', 'abcdef')]), 'implicitDeny')
add('special-question-literal-in-stringlike',
    "${?} represents a literal '?': StringLike 'why${?}' matches 'why?'. Allowed.",
    SRC + ' (Special characters)', {"identity": [P(S('Allow', 's3:GetObject', '*', sid='Lit', cond={"StringLike": {"aws:PrincipalTag/code": "why${?}"}}))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt', context=[C('aws:PrincipalTag/code', 'string', 'why?')]), 'allowed', matched=[M('identity[0]', 'Lit')])
add('special-question-literal-not-wildcard',
    "StringLike 'why${?}' does not match 'whyX' (${?} is not a single-character wildcard). Implicit deny.",
    SRC + ' (Special characters)', {"identity": [P(S('Allow', 's3:GetObject', '*', sid='Lit', cond={"StringLike": {"aws:PrincipalTag/code": "why${?}"}}))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt', context=[C('aws:PrincipalTag/code', 'string', 'whyX')]), 'implicitDeny')
add('special-dollar-literal',
    "${$} represents a literal '$': StringEquals 'price${$}' matches 'price$'. Allowed.",
    SRC + ' (Special characters)', {"identity": [P(S('Allow', 's3:GetObject', '*', sid='Lit', cond={"StringEquals": {"aws:PrincipalTag/code": "price${$}"}}))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt', context=[C('aws:PrincipalTag/code', 'string', 'price$')]), 'allowed', matched=[M('identity[0]', 'Lit')])
add('special-star-literal-in-resource',
    "${*} in Resource: arn:aws:s3:::amzn-s3-demo-bucket/literal-${*} matches only the object literally named 'literal-*' ('can be used in any string where you can use regular policy variables'). Allowed.",
    SRC + ' (Special characters)', {"identity": [P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/literal-${*}', sid='Lit'))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/literal-*'), 'allowed', matched=[M('identity[0]', 'Lit')])
add('special-star-literal-in-resource-not-wildcard',
    "${*} in Resource is a literal asterisk, not a wildcard: literal-${*} does not match object literal-abc. Implicit deny.",
    SRC + ' (Special characters)', {"identity": [P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/literal-${*}', sid='Lit'))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/literal-abc'), 'implicitDeny')

# variables in condition values
add('variable-in-stringequals-allowed',
    "Variable in a StringEquals value: aws:ResourceTag/owner = ${aws:username}; alice on a resource tagged owner=alice. Allowed.",
    SRC, {"identity": [P(S('Allow', 'ec2:StopInstances', '*', sid='OwnerOnly', cond={"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}))]},
    R(alice, 'ec2:StopInstances', f'arn:aws:ec2:us-east-1:{A}:instance/i-0abcd1234ef567890', context=[C('aws:ResourceTag/owner', 'string', 'alice')]),
    'allowed', matched=[M('identity[0]', 'OwnerOnly')])
add('variable-in-stringequals-not-allowed',
    "Same policy: alice on a resource tagged owner=bob. Implicit deny.",
    SRC, {"identity": [P(S('Allow', 'ec2:StopInstances', '*', sid='OwnerOnly', cond={"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}))]},
    R(alice, 'ec2:StopInstances', f'arn:aws:ec2:us-east-1:{A}:instance/i-0abcd1234ef567890', context=[C('aws:ResourceTag/owner', 'string', 'bob')]), 'implicitDeny')
add('variable-in-stringequals-principal-tag-to-resource-tag',
    "ABAC: StringEquals aws:ResourceTag/project = ${aws:PrincipalTag/project}; principal project=apollo, resource project=apollo. Allowed.",
    SRC, {"identity": [P(S('Allow', 'cleanrooms:GetCollaboration', '*', sid='SameProject', cond={"StringEquals": {"aws:ResourceTag/project": "${aws:PrincipalTag/project}"}}))]},
    R(alice, 'cleanrooms:GetCollaboration', f'arn:aws:cleanrooms:us-east-1:{A}:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      context=[C('aws:PrincipalTag/project', 'string', 'apollo'), C('aws:ResourceTag/project', 'string', 'apollo')]), 'allowed', matched=[M('identity[0]', 'SameProject')])
add('variable-in-stringequals-unresolved-no-match',
    "StringEquals with a variable that has no value: 'There is no equal or like value' -> no match, even if the resource tag is present. Principal has no project tag. Implicit deny.",
    SRC, {"identity": [P(S('Allow', 'cleanrooms:GetCollaboration', '*', sid='SameProject', cond={"StringEquals": {"aws:ResourceTag/project": "${aws:PrincipalTag/project}"}}))]},
    R(alice, 'cleanrooms:GetCollaboration', f'arn:aws:cleanrooms:us-east-1:{A}:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      context=[C('aws:ResourceTag/project', 'string', 'apollo')]), 'implicitDeny')
add('variable-in-stringlike-allowed',
    "Variable in a StringLike value with a wildcard: s3:prefix like home/${aws:username}/*; alice lists home/alice/docs/. Allowed.",
    SRC, {"identity": [P(S('Allow', 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', sid='HomeList', cond={"StringLike": {"s3:prefix": "home/${aws:username}/*"}}))]},
    R(alice, 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', context=[C('s3:prefix', 'string', 'home/alice/docs/')]), 'allowed', matched=[M('identity[0]', 'HomeList')])
add('variable-in-stringlike-not-allowed',
    "Same policy; alice lists home/bob/. Implicit deny.",
    SRC, {"identity": [P(S('Allow', 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', sid='HomeList', cond={"StringLike": {"s3:prefix": "home/${aws:username}/*"}}))]},
    R(alice, 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', context=[C('s3:prefix', 'string', 'home/bob/')]), 'implicitDeny')
add('variable-in-arnlike-allowed',
    "Variable in an ArnLike value: aws:SourceArn like arn:aws:cleanrooms:*:${aws:PrincipalAccount}:membership/* (aws:PrincipalAccount derived from the principal = 111122223333); source ARN is a 111122223333 membership. Allowed.",
    SRC, {"identity": [P(S('Allow', 's3:GetObject', '*', sid='OwnMemberships', cond={"ArnLike": {"aws:SourceArn": "arn:aws:cleanrooms:*:${aws:PrincipalAccount}:membership/*"}}))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt', context=[C('aws:SourceArn', 'string', f'arn:aws:cleanrooms:us-east-1:{A}:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111')]),
    'allowed', matched=[M('identity[0]', 'OwnMemberships')])
add('variable-in-arnlike-not-allowed',
    "Same policy; source ARN is a membership in account 444455556666, which differs from ${aws:PrincipalAccount}. Implicit deny.",
    SRC, {"identity": [P(S('Allow', 's3:GetObject', '*', sid='OwnMemberships', cond={"ArnLike": {"aws:SourceArn": "arn:aws:cleanrooms:*:${aws:PrincipalAccount}:membership/*"}}))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt', context=[C('aws:SourceArn', 'string', 'arn:aws:cleanrooms:us-east-1:444455556666:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE33333')]),
    'implicitDeny')

# versions
lit = lambda v: ({"Version": v} if v else {}) | {"Statement": [S('Allow', 'iam:GetUser', 'arn:aws:iam::111122223333:user/${aws:username}', sid='OwnUser')]}
add('version-2008-variable-literal-no-match',
    "Under \"Version\": \"2008-10-17\" policy variables 'aren't recognized as variables and are instead treated as literal strings'. alice's request for user/alice does not match the literal user/${aws:username}. Implicit deny.",
    SRC_V, {"identity": [lit('2008-10-17')]}, R(alice, 'iam:GetUser', alice), 'implicitDeny')
add('version-2008-variable-literal-matches-literal-arn',
    "Under 2008-10-17 the text ${aws:username} is literal, so it matches a request resource that literally contains '${aws:username}'. Allowed. (Judgement: literal comparison; no such IAM user name can exist, the case checks literal treatment.)",
    SRC_V, {"identity": [lit('2008-10-17')]}, R(alice, 'iam:GetUser', 'arn:aws:iam::111122223333:user/${aws:username}'), 'allowed', matched=[M('identity[0]', 'OwnUser')])
add('no-version-variable-literal-no-match',
    "With no Version element the policy is processed as 2008-10-17 ('The default policy version is 2008-10-17'), so ${aws:username} is literal. Implicit deny.",
    UG + 'troubleshoot_policies.html#missing-version', {"identity": [lit(None)]}, R(alice, 'iam:GetUser', alice), 'implicitDeny')
add('no-version-variable-literal-in-condition',
    "No Version: variables in condition values are literal too. StringEquals aws:ResourceTag/owner = '${aws:username}' does not match owner=alice. Implicit deny.",
    SRC_V, {"identity": [{"Statement": [S('Allow', 'ec2:StopInstances', '*', sid='OwnerOnly', cond={"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}})]}]},
    R(alice, 'ec2:StopInstances', f'arn:aws:ec2:us-east-1:{A}:instance/i-0abcd1234ef567890', context=[C('aws:ResourceTag/owner', 'string', 'alice')]), 'implicitDeny')
add('version-2012-variable-resolved',
    "Contrast: with \"Version\": \"2012-10-17\" the same statement resolves ${aws:username} to alice. Allowed.",
    SRC_V, {"identity": [lit('2012-10-17')]}, R(alice, 'iam:GetUser', alice), 'allowed', matched=[M('identity[0]', 'OwnUser')])

# StringNotEquals with unresolved variable (A9 deny)
dt = P(S('Allow', 's3:GetObject', '*', sid='AllowGet'),
       S('Deny', 's3:GetObject', '*', sid='DenyOtherTeams', cond={"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}}))
add('stringnotequals-unresolved-variable-denies',
    "A9 Deny example: StringNotEquals s3:ExistingObjectTag/Team = ${aws:PrincipalTag/Team}; principal has no Team tag -> 'Inverted condition operators like StringNotEquals or StringNotLike do match against a null value'; 'Access is explicitly denied when aws:principaltag/Team is not set'.",
    SRC, {"identity": [dt]}, R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/plan.txt', context=[C('s3:ExistingObjectTag/Team', 'string', 'blue')]),
    'explicitDeny', matched=[M('identity[0]', 'DenyOtherTeams')])
add('stringnotequals-variable-same-team-not-denied',
    "Same policy; principal Team=blue and object Team=blue -> StringNotEquals false, Deny does not apply; AllowGet allows.",
    SRC, {"identity": [dt]}, R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/plan.txt',
                               context=[C('aws:PrincipalTag/Team', 'string', 'blue'), C('s3:ExistingObjectTag/Team', 'string', 'blue')]),
    'allowed', matched=[M('identity[0]', 'AllowGet')])
add('stringnotequals-variable-other-team-denied',
    "Same policy; principal Team=red, object Team=blue -> StringNotEquals true. Explicit deny.",
    SRC, {"identity": [dt]}, R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/plan.txt',
                               context=[C('aws:PrincipalTag/Team', 'string', 'red'), C('s3:ExistingObjectTag/Team', 'string', 'blue')]),
    'explicitDeny', matched=[M('identity[0]', 'DenyOtherTeams')])
add('stringnotlike-unresolved-variable-matches',
    "StringNotLike with an unresolved variable also matches the null value: Allow if s3:prefix NotLike home/${aws:username}/* for a role session (no aws:username). Allowed.",
    SRC, {"identity": [P(S('Allow', 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', sid='NotHome', cond={"StringNotLike": {"s3:prefix": "home/${aws:username}/*"}}))]},
    R(sess, 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', context=[C('s3:prefix', 'string', 'public/')]), 'allowed', matched=[M('identity[0]', 'NotHome')])
add('principal-account-variable-in-resource',
    "Variables in Resource are allowed in the resource part of the ARN ('after the fifth colon'): arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalAccount}/* with aws:PrincipalAccount derived from alice's ARN (111122223333); she reads 111122223333/data.csv. Allowed.",
    UG + 'reference_policies_elements_resource.html', {"identity": [P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalAccount}/*', sid='AcctPrefix'))]},
    R(alice, 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/111122223333/data.csv'), 'allowed', matched=[M('identity[0]', 'AcctPrefix')])
write(T, cases)
