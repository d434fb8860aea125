from lib import *
T = 'docs-evaluation'
cases = []
def add(suffix, *a, **k):
    cases.append(case(T + '-' + suffix, *a, **k))

# ---------------- A1 ----------------
SRC_A1 = UG + 'reference_policies_evaluation-logic_policy-eval-basics.html'
carlos = 'arn:aws:iam::123456789012:user/carlossalazar'
a1_id = P(
    S('Allow', ["s3:GetBucketLocation", "s3:GetAccountPublicAccessBlock", "s3:ListAccessPoints", "s3:ListAllMyBuckets"], "arn:aws:s3:::*", sid='AllowS3ListRead'),
    S('Allow', "s3:*", ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"], sid='AllowS3Self'),
    S('Deny', "s3:*", "arn:aws:s3:::*log*", sid='DenyS3Logs'))
a1_bucket = P(S('Allow', "s3:*", ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"],
                principal={"AWS": "arn:aws:iam::123456789012:user/carlossalazar"}))
add('a1-carlos-put-logs-bucket-explicit-deny',
    "A1 row 1: carlossalazar saves a file to bucket carlossalazar-logs. DenyS3Logs (Deny s3:* on arn:aws:s3:::*log*) applies: the page says the deny covers 'any S3 bucket with log in its name'; '*' in a resource ARN also matches '/', so the object ARN carlossalazar-logs/notes.txt is covered. The bucket policy shown is attached to bucket carlossalazar, not to carlossalazar-logs, so no resource policy is given. Explicit deny.",
    SRC_A1 + ' (Example identity-based and resource-based policy evaluation)',
    {"identity": [a1_id]},
    R(carlos, 's3:PutObject', 'arn:aws:s3:::carlossalazar-logs/notes.txt', resource_account='123456789012'),
    'explicitDeny', matched=[M('identity[0]', 'DenyS3Logs')])
add('a1-carlos-put-own-bucket-allowed',
    "A1 row 2: carlossalazar saves a file to bucket carlossalazar. No Deny applies (no 'log' in the ARN); identity statement AllowS3Self and the bucket policy (granting his user ARN) both allow. Page: Allow.",
    SRC_A1 + ' (Example identity-based and resource-based policy evaluation)',
    {"identity": [a1_id], "resource": a1_bucket},
    R(carlos, 's3:PutObject', 'arn:aws:s3:::carlossalazar/notes.txt', resource_account='123456789012'),
    'allowed', matched=[M('identity[0]', 'AllowS3Self'), M('resource', statement=0)])
add('a1-identity-only-same-account-allowed',
    "A1 stated rule: 'If either the identity-based policy or the resource-based policy within the same account allows the request and the other doesn't, the request is still allowed.' Here only the identity policy exists (no bucket policy) and AllowS3Self allows s3:PutObject on carlossalazar/*.",
    SRC_A1,
    {"identity": [a1_id]},
    R(carlos, 's3:PutObject', 'arn:aws:s3:::carlossalazar/notes.txt', resource_account='123456789012'),
    'allowed', matched=[M('identity[0]', 'AllowS3Self')])
add('a1-resource-only-same-account-allowed',
    "A1 stated rule (same account, either side suffices): no identity-based policy at all, but the bucket policy names carlossalazar's user ARN and allows s3:*. An IAM-user-ARN grant in a same-account resource policy is not limited by an implicit deny in identity policies. Allowed.",
    SRC_A1,
    {"resource": a1_bucket},
    R(carlos, 's3:PutObject', 'arn:aws:s3:::carlossalazar/notes.txt', resource_account='123456789012'),
    'allowed', matched=[M('resource', statement=0)])
add('a1-get-bucket-location-other-bucket-allowed',
    "A1 identity policy: AllowS3ListRead allows s3:GetBucketLocation on arn:aws:s3:::* ; bucket amzn-s3-demo-bucket has no 'log' in its name so DenyS3Logs does not apply. Allowed.",
    SRC_A1,
    {"identity": [a1_id]},
    R(carlos, 's3:GetBucketLocation', 'arn:aws:s3:::amzn-s3-demo-bucket', resource_account='123456789012'),
    'allowed', matched=[M('identity[0]', 'AllowS3ListRead')])
add('a1-get-bucket-location-logs-bucket-deny-overrides',
    "A1 identity policy: s3:GetBucketLocation on bucket carlossalazar-logs matches both AllowS3ListRead (arn:aws:s3:::*) and DenyS3Logs (arn:aws:s3:::*log*). 'An explicit deny overrides an explicit allow.' Explicit deny; only the deny statement is reported.",
    SRC_A1,
    {"identity": [a1_id]},
    R(carlos, 's3:GetBucketLocation', 'arn:aws:s3:::carlossalazar-logs', resource_account='123456789012'),
    'explicitDeny', matched=[M('identity[0]', 'DenyS3Logs')])

# ---------------- A2 ----------------
SRC_A2 = UG + 'reference_policies_evaluation-logic-cross-account.html (Example cross-account policy evaluation)'
carlos2 = 'arn:aws:iam::111111111111:user/carlossalazar'
a2_id = P(
    S('Allow', "s3:ListAllMyBuckets", "*", sid='AllowS3ListRead'),
    S('Allow', "s3:*Object*", "arn:aws:s3:::Production/*", sid='AllowS3ProductionObjectActions'),
    S('Deny', "s3:*", ["arn:aws:s3:::*log*", "arn:aws:s3:::*log*/*"], sid='DenyS3Logs'))
a2_bucket = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject*", "s3:PutObject*", "s3:ReplicateObject", "s3:RestoreObject"], "Principal": {"AWS": "arn:aws:iam::111111111111:user/carlossalazar"}, "Resource": "arn:aws:s3:::Production/*"}]}
add('a2-cross-account-production-logs-explicit-deny',
    "A2 row 1: carlossalazar (account 111111111111) saves a file to Production-logs (owned by 222222222222, no bucket policy). The trusted account's evaluation returns Deny from DenyS3Logs; 'a deny in either account denies'. Explicit deny.",
    SRC_A2,
    {"identity": [a2_id]},
    R(carlos2, 's3:PutObject', 'arn:aws:s3:::Production-logs/report.txt', resource_account='222222222222'),
    'explicitDeny', matched=[M('identity[0]', 'DenyS3Logs')])
add('a2-cross-account-production-put-allowed',
    "A2 row 2: carlossalazar saves a file to Production. Account 111111111111: AllowS3ProductionObjectActions (s3:*Object* on Production/*) allows; account 222222222222: the bucket policy grants s3:PutObject* to his user ARN. 'The request is allowed only if both evaluations return a decision of Allow' - both do. Allowed.",
    SRC_A2,
    {"identity": [a2_id], "resource": a2_bucket},
    R(carlos2, 's3:PutObject', 'arn:aws:s3:::Production/report.txt', resource_account='222222222222'),
    'allowed', matched=[M('identity[0]', 'AllowS3ProductionObjectActions'), M('resource', statement=0)])
add('a2-cross-account-production-delete-implicit-deny',
    "A2 page text: the bucket policy lets him 'create and edit, but not delete the objects in the bucket'. s3:DeleteObject matches his identity statement s3:*Object*, but the bucket policy (GetObject*, PutObject*, ReplicateObject, RestoreObject) does not allow it, so the trusting account's evaluation is not Allow. Rule-derived: implicit deny.",
    SRC_A2,
    {"identity": [a2_id], "resource": a2_bucket},
    R(carlos2, 's3:DeleteObject', 'arn:aws:s3:::Production/report.txt', resource_account='222222222222'),
    'implicitDeny')
add('a2-cross-account-get-object-acl-wildcard-allowed',
    "A2 policies: s3:GetObjectAcl matches identity s3:*Object* and bucket-policy s3:GetObject* (action wildcards). Both accounts allow. Allowed.",
    SRC_A2,
    {"identity": [a2_id], "resource": a2_bucket},
    R(carlos2, 's3:GetObjectAcl', 'arn:aws:s3:::Production/report.txt', resource_account='222222222222'),
    'allowed', matched=[M('identity[0]', 'AllowS3ProductionObjectActions'), M('resource', statement=0)])
add('a2-cross-account-list-production-bucket-implicit-deny',
    "A2 page text: 'He can't manage the bucket itself.' s3:ListBucket on arn:aws:s3:::Production matches no identity Allow (s3:*Object* does not match ListBucket; Production/* does not match the bucket ARN) and no bucket-policy Allow. Implicit deny.",
    SRC_A2,
    {"identity": [a2_id], "resource": a2_bucket},
    R(carlos2, 's3:ListBucket', 'arn:aws:s3:::Production', resource_account='222222222222'),
    'implicitDeny')
add('a2-cross-account-without-bucket-policy-implicit-deny',
    "A2 cross-account rule: both accounts must allow. The identity policy allows s3:PutObject on Production/*, but with no bucket policy the trusting account 222222222222 does not allow. Implicit deny.",
    SRC_A2,
    {"identity": [a2_id]},
    R(carlos2, 's3:PutObject', 'arn:aws:s3:::Production/report.txt', resource_account='222222222222'),
    'implicitDeny')
add('a2-cross-account-bucket-policy-only-implicit-deny',
    "A2 cross-account rule: the bucket policy in 222222222222 grants carlossalazar's user ARN, but his own account (111111111111) has no identity-based Allow. 'The request is allowed only if both evaluations return a decision of Allow.' Implicit deny.",
    SRC_A2,
    {"resource": a2_bucket},
    R(carlos2, 's3:PutObject', 'arn:aws:s3:::Production/report.txt', resource_account='222222222222'),
    'implicitDeny')

# ---------------- A3 ----------------
SRC_A3 = UG + 'reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html'
a3 = P(S('Allow', ["iam:Get*", "iam:List*"], "*", sid='AllowGetList'),
       S('Deny', "iam:*Report", "*", sid='DenyReports'))
u3 = 'arn:aws:iam::123456789012:user/alice'
add('a3-get-action-allowed',
    "A3: iam:GetUser matches iam:Get* in AllowGetList and does not end in 'Report'. Read-only IAM actions are allowed.",
    SRC_A3, {"identity": [a3]}, R(u3, 'iam:GetUser', 'arn:aws:iam::123456789012:user/alice'),
    'allowed', matched=[M('identity[0]', 'AllowGetList')])
add('a3-list-action-allowed',
    "A3: iam:ListRoles matches iam:List* in AllowGetList. Allowed.",
    SRC_A3, {"identity": [a3]}, R(u3, 'iam:ListRoles', '*'),
    'allowed', matched=[M('identity[0]', 'AllowGetList')])
add('a3-create-policy-implicit-deny',
    "A3: iam:CreatePolicy (any other IAM action) matches no Allow and no Deny - implicit deny.",
    SRC_A3, {"identity": [a3]}, R(u3, 'iam:CreatePolicy', 'arn:aws:iam::123456789012:policy/example'),
    'implicitDeny')
add('a3-get-organizations-access-report-explicit-deny',
    "A3: iam:GetOrganizationsAccessReport matches both iam:Get* (Allow) and iam:*Report (Deny). Explicit deny overrides.",
    SRC_A3, {"identity": [a3]}, R(u3, 'iam:GetOrganizationsAccessReport', '*'),
    'explicitDeny', matched=[M('identity[0]', 'DenyReports')])
add('a3-generate-credential-report-denied-despite-other-allow',
    "A3: iam:GenerateCredentialReport is explicitly denied by DenyReports 'even if another attached policy allows it' - here a second identity policy allows iam:*.",
    SRC_A3, {"identity": [a3, P(S('Allow', 'iam:*', '*', sid='AllowAllIam'))]},
    R(u3, 'iam:GenerateCredentialReport', '*'),
    'explicitDeny', matched=[M('identity[0]', 'DenyReports')])

# ---------------- A4 ----------------
SRC_A4 = UG + 'reference_policies_evaluation-logic_policy-eval-denyallow.html'
ACCT = '111122223333'
obj = 'arn:aws:s3:::amzn-s3-demo-bucket/example.txt'
user = 'arn:aws:iam::111122223333:user/exampleuser'
role = 'arn:aws:iam::111122223333:role/examplerole'
sess = 'arn:aws:sts::111122223333:assumed-role/examplerole/examplerolesessionname'
fed = 'arn:aws:sts::111122223333:federated-user/exampleuser'
def rp(principal, sid='GrantGetObject', cond=None):
    return P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid=sid, principal=principal, cond=cond))
id_allow = P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='IdentityAllowGet'))
id_none = P(S('Allow', 'ec2:DescribeInstances', '*', sid='IdentityUnrelated'))
bnd_no = P(S('Allow', 'ec2:*', '*', sid='BoundaryEc2Only'))
sess_no = P(S('Allow', 'dynamodb:GetItem', '*', sid='SessionDynamoOnly'))
add('a4-row1-user-arn-grant-no-identity-allow',
    "A4 row 1: same-account resource policy grants the IAM user ARN; the user's identity policy has no Allow for the action. Page: a grant to the IAM user ARN is 'not limited by an implicit deny in an identity-based policy or permissions boundary'. Allowed.",
    SRC_A4, {"identity": [id_none], "resource": rp({"AWS": user})},
    R(user, 's3:GetObject', obj, resource_account=ACCT),
    'allowed', matched=[M('resource', 'GrantGetObject')])
add('a4-row2-user-arn-grant-boundary-does-not-allow',
    "A4 row 2: as row 1 but the user also has a permissions boundary that does not allow s3:GetObject (only ec2:*). The user-ARN grant is not limited by the boundary's implicit deny. Allowed.",
    SRC_A4, {"identity": [id_none], "boundary": bnd_no, "resource": rp({"AWS": user})},
    R(user, 's3:GetObject', obj, resource_account=ACCT),
    'allowed')
add('a4-row3-role-arn-grant-session-no-identity-allow',
    "A4 row 3: resource policy grants the IAM role ARN; the request is made by a session of that role; the role's identity policy has no Allow; no boundary; no session policy. Role-ARN grants are limited only by a boundary or session policy, neither present. Allowed.",
    SRC_A4, {"identity": [id_none], "resource": rp({"AWS": role})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT),
    'allowed', matched=[M('resource', 'GrantGetObject')])
add('a4-row4-role-arn-grant-boundary-does-not-allow',
    "A4 row 4: resource policy grants the role ARN; request by a role session; the identity policy allows, but the role's permissions boundary does not allow s3:GetObject. Page: role-ARN grants are 'limited by an implicit deny in a permissions boundary'. Implicit deny.",
    SRC_A4, {"identity": [id_allow], "boundary": bnd_no, "resource": rp({"AWS": role})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT),
    'implicitDeny')
add('a4-row5-role-arn-grant-session-policy-does-not-allow',
    "A4 row 5: resource policy grants the role ARN; request by a role session whose session policy does not allow s3:GetObject (identity policy allows; no boundary). Role-ARN grants are limited by an implicit deny in a session policy. Implicit deny.",
    SRC_A4, {"identity": [id_allow], "session": [sess_no], "resource": rp({"AWS": role})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT),
    'implicitDeny')
add('a4-row6-session-arn-grant-not-limited',
    "A4 row 6: resource policy grants the role session ARN arn:aws:sts::111122223333:assumed-role/examplerole/examplerolesessionname; identity has no Allow, the boundary and the session policy do not allow. Page: a grant to the session ARN is 'not limited by an implicit deny in an identity-based policy, a permissions boundary, or session policy'. Allowed.",
    SRC_A4, {"identity": [id_none], "boundary": bnd_no, "session": [sess_no], "resource": rp({"AWS": sess})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT),
    'allowed')
add('a4-row7-wildcard-principal-principalarn-not-limited',
    "A4 row 7: resource policy uses Principal \"*\" with condition ArnEquals aws:PrincipalArn = the role ARN (for a role session aws:PrincipalArn is the role ARN). Boundary and session policy do not allow; no explicit deny. Page: 'Permissions boundaries and session policies do not limit permissions granted using the aws:PrincipalArn condition key with a wildcard(*) in the Principal element, unless the identity-based policies contain an explicit deny'. Allowed.",
    SRC_A4, {"identity": [id_none], "boundary": bnd_no, "session": [sess_no],
             "resource": rp("*", cond={"ArnEquals": {"aws:PrincipalArn": role}})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT),
    'allowed')
add('a4-row7-wildcard-principal-identity-explicit-deny',
    "A4 row 7 exception: same as row 7 but the role's identity-based policy contains an explicit Deny for s3:GetObject - the stated exception ('unless the identity-based policies contain an explicit deny'). Explicit deny.",
    SRC_A4, {"identity": [P(S('Deny', 's3:GetObject', '*', sid='IdentityDenyGet'))], "boundary": bnd_no, "session": [sess_no],
             "resource": rp("*", cond={"ArnEquals": {"aws:PrincipalArn": role}})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT),
    'explicitDeny', matched=[M('identity[0]', 'IdentityDenyGet')])
add('a4-row7-wildcard-principal-other-role-implicit-deny',
    "A4 row 7 negative: Principal \"*\" with ArnEquals aws:PrincipalArn naming a different role (otherrole). The requester's aws:PrincipalArn is examplerole, so the grant does not apply; the identity policy has no Allow. Implicit deny.",
    SRC_A4, {"identity": [id_none],
             "resource": rp("*", cond={"ArnEquals": {"aws:PrincipalArn": 'arn:aws:iam::111122223333:role/otherrole'}})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT),
    'implicitDeny')
add('a4-row8-federated-user-arn-grant-not-limited',
    "A4 row 8: resource policy grants the STS federated user ARN arn:aws:sts::111122223333:federated-user/exampleuser; the federating IAM user's identity policy has no Allow, its boundary does not allow, and the session policy does not allow. A grant directly to the federated-user session is not limited by them. Allowed.",
    SRC_A4, {"identity": [id_none], "boundary": bnd_no, "session": [sess_no], "resource": rp({"AWS": fed})},
    R(fed, 's3:GetObject', obj, resource_account=ACCT),
    'allowed')
add('a4-row9-federating-user-arn-grant-boundary-does-not-allow',
    "A4 row 9: resource policy grants the ARN of the IAM user who federated (user/exampleuser); the request is made by the federated-user session; the user's permissions boundary does not allow s3:GetObject (identity and session policy allow). Page: 'limited by an implicit deny in a permission boundary or session policy'. Implicit deny.",
    SRC_A4, {"identity": [id_allow], "boundary": bnd_no,
             "session": [P(S('Allow', 's3:GetObject', '*', sid='SessionAllowGet'))], "resource": rp({"AWS": user})},
    R(fed, 's3:GetObject', obj, resource_account=ACCT),
    'implicitDeny')
add('a4-row9-federating-user-arn-grant-session-policy-does-not-allow',
    "A4 row 9 (second variant): resource policy grants the federating IAM user's ARN; the federated session's session policy does not allow s3:GetObject (identity allows; no boundary). Limited by the implicit deny in the session policy. Implicit deny.",
    SRC_A4, {"identity": [id_allow], "session": [sess_no], "resource": rp({"AWS": user})},
    R(fed, 's3:GetObject', obj, resource_account=ACCT),
    'implicitDeny')
add('a4-row10-user-arn-grant-identity-explicit-deny',
    "A4 row 10: as row 1 (user-ARN grant) but the user's identity policy has a matching Deny. 'An explicit deny overrides an explicit allow.' Explicit deny.",
    SRC_A4, {"identity": [P(S('Deny', 's3:*', '*', sid='IdentityDenyS3'))], "resource": rp({"AWS": user})},
    R(user, 's3:GetObject', obj, resource_account=ACCT),
    'explicitDeny', matched=[M('identity[0]', 'IdentityDenyS3')])
add('a4-row10-session-arn-grant-boundary-explicit-deny',
    "A4 row 10: as row 6 (session-ARN grant, not limited by implicit denies) but the permissions boundary contains an explicit Deny for the action. The deny-evaluation step covers boundaries: explicit deny.",
    SRC_A4, {"identity": [id_none], "boundary": P(S('Allow', '*', '*', sid='BoundaryAll'), S('Deny', 's3:GetObject', '*', sid='BoundaryDenyGet')),
             "resource": rp({"AWS": sess})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT),
    'explicitDeny', matched=[M('boundary', 'BoundaryDenyGet')])
add('a4-row10-federated-grant-session-policy-explicit-deny',
    "A4 row 10: as row 8 (federated-user ARN grant) but the session policy contains an explicit Deny for s3:GetObject. Explicit deny in any applicable policy wins.",
    SRC_A4, {"identity": [id_none], "session": [P(S('Allow', '*', '*', sid='SessionAll'), S('Deny', 's3:GetObject', '*', sid='SessionDenyGet'))],
             "resource": rp({"AWS": fed})},
    R(fed, 's3:GetObject', obj, resource_account=ACCT),
    'explicitDeny', matched=[M('session[0]', 'SessionDenyGet')])
add('a4-row10-resource-policy-explicit-deny',
    "A4 row 10: identity policy allows; the resource-based policy has a Deny for this user's ARN. Explicit deny.",
    SRC_A4, {"identity": [id_allow], "resource": P(S('Deny', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='DenyUser', principal={"AWS": user}))},
    R(user, 's3:GetObject', obj, resource_account=ACCT),
    'explicitDeny', matched=[M('resource', 'DenyUser')])
trust_ec2 = P(S('Allow', 'sts:AssumeRole', principal={"Service": "ec2.amazonaws.com"}, sid='TrustEc2'))
add('a4-row11-trust-policy-without-principal-identity-allow-insufficient',
    "A4 row 11: IAM role trust policies 'must explicitly allow access for principals', even in the same account. The user's identity policy allows sts:AssumeRole on the role, but the trust policy only trusts ec2.amazonaws.com. Implicit deny.",
    SRC_A4, {"identity": [P(S('Allow', 'sts:AssumeRole', role, sid='AllowAssume'))], "resource": trust_ec2},
    R(user, 'sts:AssumeRole', role),
    'implicitDeny')
kms_key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'
add('a4-row11-kms-key-policy-without-principal-identity-allow-insufficient',
    "A4 row 11: KMS key policies 'must explicitly allow access for principals'. The user's identity policy allows kms:Decrypt on *, but the key policy only grants a different user (keyadmin) and does not name the account. Implicit deny.",
    SRC_A4, {"identity": [P(S('Allow', 'kms:Decrypt', '*', sid='AllowDecrypt'))],
             "resource": P(S('Allow', 'kms:*', '*', sid='KeyAdmin', principal={"AWS": 'arn:aws:iam::111122223333:user/keyadmin'}))},
    R(user, 'kms:Decrypt', kms_key),
    'implicitDeny')
add('a4-row11-kms-key-policy-names-account-identity-allows',
    "A4 row 11 contrast: the key policy grants the account principal arn:aws:iam::111122223333:root (the default key policy that lets IAM policies control access); an account-principal grant is to the account, so the user's identity policy must also allow - it does (kms:Decrypt on *). Allowed.",
    SRC_A4 + '; ' + UG + 'reference_policies_elements_principal.html (AWS account principals)',
    {"identity": [P(S('Allow', 'kms:Decrypt', '*', sid='AllowDecrypt'))],
     "resource": P(S('Allow', 'kms:*', '*', sid='EnableIamPolicies', principal={"AWS": 'arn:aws:iam::111122223333:root'}))},
    R(user, 'kms:Decrypt', kms_key),
    'allowed', matched=[M('identity[0]', 'AllowDecrypt'), M('resource', 'EnableIamPolicies')])
add('a4-row11-kms-key-policy-names-account-no-identity-allow',
    "A4 row 11 / account principals: the key policy grants only the account principal arn:aws:iam::111122223333:root; the user has no identity-based Allow for kms:Decrypt. An account-principal grant delegates to the account's IAM policies, which do not allow. Implicit deny.",
    SRC_A4 + '; ' + UG + 'reference_policies_elements_principal.html (AWS account principals)',
    {"identity": [id_none],
     "resource": P(S('Allow', 'kms:*', '*', sid='EnableIamPolicies', principal={"AWS": 'arn:aws:iam::111122223333:root'}))},
    R(user, 'kms:Decrypt', kms_key),
    'implicitDeny')

# ---------------- A5 ----------------
SRC_A5 = UG + 'access_policies.html#policies_session'
sess_allow = P(S('Allow', 's3:GetObject', '*', sid='SessionAllowGet'))
add('a5-role-arn-grant-session-policy-allows-no-identity',
    "A5: resource policy names the role ARN: session permissions = (session policy AND resource-policy grant) OR (session policy AND identity policy). The session policy allows s3:GetObject and the resource policy grants it; the role's identity policy does not. Allowed.",
    SRC_A5, {"identity": [id_none], "session": [sess_allow], "resource": rp({"AWS": role})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT), 'allowed')
add('a5-role-arn-grant-session-policy-not-allowing-no-identity',
    "A5: resource policy names the role ARN; the session policy does not allow s3:GetObject and the identity policy does not either. Both intersections are empty. Implicit deny.",
    SRC_A5, {"identity": [id_none], "session": [sess_no], "resource": rp({"AWS": role})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT), 'implicitDeny')
add('a5-session-arn-grant-not-limited-by-session-policy',
    "A5: resource policy names the session ARN: session permissions = resource-policy grant (not limited by the session policy) OR (identity AND session). The session policy does not allow s3:GetObject but the session-ARN grant does. Allowed.",
    SRC_A5, {"identity": [id_none], "session": [sess_no], "resource": rp({"AWS": sess})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT), 'allowed')
add('a5-identity-and-session-policy-allow-no-resource-policy',
    "A5: no resource policy; the role's identity policy and the session policy both allow s3:GetObject (identity AND session). Allowed.",
    SRC_A5, {"identity": [id_allow], "session": [sess_allow]},
    R(sess, 's3:GetObject', obj, resource_account=ACCT), 'allowed')
add('a5-identity-allows-session-policy-does-not',
    "A5: the session's permissions are the intersection of identity-based policies and session policies. Identity allows s3:GetObject; the session policy only allows dynamodb:GetItem. Implicit deny.",
    SRC_A5, {"identity": [id_allow], "session": [sess_no]},
    R(sess, 's3:GetObject', obj, resource_account=ACCT), 'implicitDeny')
add('a5-session-policy-allows-identity-does-not',
    "A5: a session policy cannot grant more than the identity policy: session allows s3:GetObject, identity does not, no resource policy. Implicit deny.",
    SRC_A5, {"identity": [id_none], "session": [sess_allow]},
    R(sess, 's3:GetObject', obj, resource_account=ACCT), 'implicitDeny')
add('a5-boundary-session-identity-all-allow',
    "A5/A6: with a permissions boundary the effective permissions are session AND boundary AND identity. All three allow s3:GetObject. Allowed.",
    SRC_A5, {"identity": [id_allow], "session": [sess_allow], "boundary": P(S('Allow', 's3:*', '*', sid='BoundaryS3'))},
    R(sess, 's3:GetObject', obj, resource_account=ACCT), 'allowed')
add('a5-boundary-missing-from-triple-intersection',
    "A5/A6: session AND boundary AND identity - session and identity allow but the boundary only allows ec2:*. Implicit deny.",
    SRC_A5, {"identity": [id_allow], "session": [sess_allow], "boundary": bnd_no},
    R(sess, 's3:GetObject', obj, resource_account=ACCT), 'implicitDeny')
add('a5-session-arn-grant-not-limited-by-boundary',
    "A5: 'a permissions boundary does not limit permissions granted by a resource-based policy that specifies the ARN of the resulting session.' Boundary does not allow, identity does not allow, no session policy. Allowed.",
    SRC_A5, {"identity": [id_none], "boundary": bnd_no, "resource": rp({"AWS": sess})},
    R(sess, 's3:GetObject', obj, resource_account=ACCT), 'allowed')

# ---------------- A6 ----------------
SRC_A6 = UG + 'access_policies_boundaries.html'
SRC_SIM = UG + 'policies_policy-simulator-how-to.html (Test a permissions boundary)'
admin = 'arn:aws:iam::111122223333:user/admin'
id_delrole = P(S('Allow', 'iam:DeleteRole', '*', sid='AllowDeleteRole'))
bnd_iam_read = P(S('Allow', ['iam:Get*', 'iam:List*'], '*', sid='BoundaryIamRead'))
add('a6-identity-and-boundary-both-allow',
    "A6: effective permissions = identity AND boundary. Both allow iam:GetRole. Allowed.",
    SRC_A6, {"identity": [P(S('Allow', 'iam:*', '*', sid='AllowIam'))], "boundary": bnd_iam_read},
    R(admin, 'iam:GetRole', 'arn:aws:iam::111122223333:role/examplerole'), 'allowed')
add('a6-simulator-boundary-does-not-allow-delete-role',
    "A6 simulator example: simulate iam:DeleteRole for an identity whose boundary does not allow it -> deny attributed to the permissions boundary (identity policy allows iam:DeleteRole; boundary only allows iam:Get*/List*). Implicit deny.",
    SRC_SIM, {"identity": [id_delrole], "boundary": bnd_iam_read},
    R(admin, 'iam:DeleteRole', 'arn:aws:iam::111122223333:role/examplerole'), 'implicitDeny')
add('a6-simulator-boundary-excluded-allowed',
    "A6 simulator example, second step: the policy that allows iam:DeleteRole is evaluated with the boundary excluded -> allow.",
    SRC_SIM, {"identity": [id_delrole]},
    R(admin, 'iam:DeleteRole', 'arn:aws:iam::111122223333:role/examplerole'), 'allowed',
    matched=[M('identity[0]', 'AllowDeleteRole')])
add('a6-boundary-allows-identity-does-not',
    "A6: a boundary never grants on its own: the boundary allows iam:GetRole but no identity policy does. Implicit deny.",
    SRC_A6, {"identity": [id_none], "boundary": bnd_iam_read},
    R(admin, 'iam:GetRole', 'arn:aws:iam::111122223333:role/examplerole'), 'implicitDeny')
add('a6-scp-boundary-identity-all-allow',
    "A6: SCP AND boundary AND identity - all three allow iam:GetRole. Allowed.",
    SRC_A6, {"identity": [P(S('Allow', 'iam:*', '*', sid='AllowIam'))], "boundary": bnd_iam_read,
             "scp": [[P(S('Allow', '*', '*', sid='FullAWSAccess'))]]},
    R(admin, 'iam:GetRole', 'arn:aws:iam::111122223333:role/examplerole'), 'allowed')
add('a6-scp-does-not-allow-boundary-and-identity-do',
    "A6: SCP AND boundary AND identity - identity and boundary allow iam:GetRole but the only SCP allows just s3:*. Implicit deny (denied by Organizations).",
    SRC_A6, {"identity": [P(S('Allow', 'iam:*', '*', sid='AllowIam'))], "boundary": bnd_iam_read,
             "scp": [[P(S('Allow', 's3:*', '*', sid='S3Only'))]]},
    R(admin, 'iam:GetRole', 'arn:aws:iam::111122223333:role/examplerole'), 'implicitDeny')
add('a6-boundary-explicit-deny-wins',
    "A6: 'any explicit deny wins' - the boundary allows everything but explicitly denies iam:DeleteRole; identity allows. Explicit deny.",
    SRC_A6, {"identity": [id_delrole], "boundary": P(S('Allow', '*', '*', sid='BoundaryAll'), S('Deny', 'iam:DeleteRole', '*', sid='BoundaryDenyDeleteRole'))},
    R(admin, 'iam:DeleteRole', 'arn:aws:iam::111122223333:role/examplerole'), 'explicitDeny',
    matched=[M('boundary', 'BoundaryDenyDeleteRole')])

# ---------------- A7 NotPrincipal ----------------
SRC_A7 = UG + 'reference_policies_elements_notprincipal.html'
bob = 'arn:aws:iam::444455556666:user/Bob'
np_deny = S('Deny', 's3:*', ["arn:aws:s3:::BUCKETNAME", "arn:aws:s3:::BUCKETNAME/*"], sid='DenyAllButBob',
            notprincipal={"AWS": [bob, "arn:aws:iam::444455556666:root"]})
allow_bob = S('Allow', 's3:GetObject', 'arn:aws:s3:::BUCKETNAME/*', sid='AllowBob', principal={"AWS": bob})
id_get_any = P(S('Allow', 's3:GetObject', '*', sid='IdentityAllowGet'))
bobj = 'arn:aws:s3:::BUCKETNAME/data.csv'
add('a7-bob-exempt-and-explicitly-allowed',
    "A7: bucket (owned by 111122223333) policy denies s3:* to everyone NotPrincipal [Bob's user ARN, account 444455556666 root]. Bob is exempt from the Deny; 'To allow Bob access to the resource, another policy statement must explicitly allow access' - AllowBob does, and Bob's identity policy allows (cross-account). Allowed.",
    SRC_A7, {"identity": [id_get_any], "resource": P(np_deny, allow_bob)},
    R(bob, 's3:GetObject', bobj, resource_account='111122223333'),
    'allowed', matched=[M('identity[0]', 'IdentityAllowGet'), M('resource', 'AllowBob')])
add('a7-bob-exempt-but-no-allow-statement',
    "A7: Bob is not denied by the NotPrincipal Deny, but NotPrincipal does not grant anything; without another statement allowing him, the resource account (111122223333) does not allow the cross-account request. Implicit deny.",
    SRC_A7, {"identity": [id_get_any], "resource": P(np_deny)},
    R(bob, 's3:GetObject', bobj, resource_account='111122223333'), 'implicitDeny')
add('a7-other-user-same-account-as-bob-denied',
    "A7: 'Any principal other than Bob (and account 444455556666 as such)' is explicitly denied. Alice is in Bob's account but her user ARN is not listed in NotPrincipal. Explicit deny, even though her identity policy allows.",
    SRC_A7, {"identity": [id_get_any], "resource": P(np_deny, allow_bob)},
    R('arn:aws:iam::444455556666:user/Alice', 's3:GetObject', bobj, resource_account='111122223333'),
    'explicitDeny', matched=[M('resource', 'DenyAllButBob')])
add('a7-bucket-owner-account-user-denied',
    "A7: a user of the bucket-owning account 111122223333 is not listed in NotPrincipal, so the Deny applies to him. Explicit deny even though his identity policy allows.",
    SRC_A7, {"identity": [id_get_any], "resource": P(np_deny, allow_bob)},
    R('arn:aws:iam::111122223333:user/carol', 's3:GetObject', bobj),
    'explicitDeny', matched=[M('resource', 'DenyAllButBob')])
add('a7-bob-with-permissions-boundary-always-denied',
    "A7 key point: 'The NotPrincipal element with a Deny effect will always deny any IAM principal that has a permissions boundary policy attached, regardless of the values specified in the NotPrincipal element.' Bob has a boundary (allowing s3:*). Explicit deny.",
    SRC_A7, {"identity": [id_get_any], "boundary": P(S('Allow', 's3:*', '*', sid='BoundaryS3')), "resource": P(np_deny, allow_bob)},
    R(bob, 's3:GetObject', bobj, resource_account='111122223333'),
    'explicitDeny', matched=[M('resource', 'DenyAllButBob')])
ro_role = 'arn:aws:iam::444455556666:role/cross-account-read-only-role'
ro_sess = 'arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app'
np_sess = S('Deny', 's3:*', ["arn:aws:s3:::BUCKETNAME", "arn:aws:s3:::BUCKETNAME/*"], sid='DenyAllButAuditApp',
            notprincipal={"AWS": [ro_sess, ro_role, "arn:aws:iam::444455556666:root"]})
allow_role = S('Allow', 's3:GetObject', 'arn:aws:s3:::BUCKETNAME/*', sid='AllowReadOnlyRole', principal={"AWS": ro_role})
add('a7-listed-role-session-not-denied',
    "A7 role-session variant: NotPrincipal lists the session ARN .../cross-account-read-only-role/cross-account-audit-app, the role ARN and account 444455556666 root, in a bucket policy of another account (111122223333) - the page says this works as intended. The listed session is not denied; AllowReadOnlyRole (role ARN, covers its sessions) and the role's identity policy allow. Allowed.",
    SRC_A7, {"identity": [id_get_any], "resource": P(np_sess, allow_role)},
    R(ro_sess, 's3:GetObject', bobj, resource_account='111122223333'),
    'allowed', matched=[M('identity[0]', 'IdentityAllowGet'), M('resource', 'AllowReadOnlyRole')])
add('a7-unlisted-session-of-listed-role-denied',
    "A7 role-session variant: a different session (other-session) of the same role. Its session ARN is not in NotPrincipal and 'a wildcard cannot stand for all sessions'; listing the role ARN does not exempt its other sessions (the page requires the specific session ARN). Explicit deny. (Judgement: rule-derived from the page's requirement to list the session ARN.)",
    SRC_A7, {"identity": [id_get_any], "resource": P(np_sess, allow_role)},
    R('arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/other-session', 's3:GetObject', bobj, resource_account='111122223333'),
    'explicitDeny', matched=[M('resource', 'DenyAllButAuditApp')])

# ---------------- A8 MFA ----------------
SRC_A8 = UG + 'reference_policies_condition-keys.html#condition-keys-multifactorauthpresent'
tmp_p = 'arn:aws:sts::111122223333:assumed-role/DevRole/dev-session'
lt_p = 'arn:aws:iam::111122223333:user/dev-user'
cols = [('temp-mfa', tmp_p, [C('aws:MultiFactorAuthPresent', 'boolean', 'true')], 'temporary credentials with MFA (aws:MultiFactorAuthPresent=true)'),
        ('temp-no-mfa', tmp_p, [C('aws:MultiFactorAuthPresent', 'boolean', 'false')], 'temporary credentials without MFA (aws:MultiFactorAuthPresent=false)'),
        ('long-term-keys', lt_p, None, 'long-term access keys of an IAM user (aws:MultiFactorAuthPresent absent)')]
res = 'arn:aws:s3:::amzn-s3-demo-bucket/secret.txt'
rows = [
    ('deny-bool-false', 'Deny', {"Bool": {"aws:MultiFactorAuthPresent": "false"}}, ['not', 'denied', 'not']),
    ('deny-boolifexists-false', 'Deny', {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}, ['not', 'denied', 'denied']),
    ('allow-boolifexists-true', 'Allow', {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}, ['allowed', 'not', 'allowed']),
    ('allow-bool-true', 'Allow', {"Bool": {"aws:MultiFactorAuthPresent": "true"}}, ['allowed', 'not', 'not']),
    ('allow-null-false', 'Allow', {"Null": {"aws:MultiFactorAuthPresent": "false"}}, ['allowed', 'allowed', 'not']),
]
for rname, eff, cond, outs in rows:
    for (cname, princ, ctx, cdesc), out in zip(cols, outs):
        if eff == 'Deny':
            pol = P(S('Allow', 's3:GetObject', '*', sid='AllowGet'), S('Deny', 's3:GetObject', '*', sid='DenyWithoutMfa', cond=cond))
            dec = 'explicitDeny' if out == 'denied' else 'allowed'
            m = [M('identity[0]', 'DenyWithoutMfa')] if dec == 'explicitDeny' else [M('identity[0]', 'AllowGet')]
            desc = (f"A8 MFA table, row 'Deny + {json.dumps(cond)}', column {cdesc}: page outcome '{'denied' if out=='denied' else 'not denied'}'. "
                    f"An unconditional Allow statement is added so 'not denied' shows as allowed. "
                    "aws:MultiFactorAuthPresent is present only with temporary credentials; absent with long-term keys.")
        else:
            pol = P(S('Allow', 's3:GetObject', '*', sid='AllowWithMfa', cond=cond))
            dec = 'allowed' if out == 'allowed' else 'implicitDeny'
            m = [M('identity[0]', 'AllowWithMfa')] if dec == 'allowed' else None
            desc = (f"A8 MFA table, row 'Allow + {json.dumps(cond)}', column {cdesc}: page outcome '{'allowed' if out=='allowed' else 'not allowed'}'. "
                    "aws:MultiFactorAuthPresent is present only with temporary credentials; absent with long-term keys.")
        add(f'a8-{rname}-{cname}', desc, SRC_A8, {"identity": [pol]},
            R(princ, 's3:GetObject', res, context=ctx), dec, matched=m)
add('a8-deny-null-true-long-term-keys',
    "A8 extra (rule-derived, not one of the 15 table cells): Deny + {\"Null\":{\"aws:MultiFactorAuthPresent\":\"true\"}} with long-term access keys. Null true matches when the key is absent from the request context, and the key is absent with long-term keys, so the Deny applies. Explicit deny. (examples.md notes the page says Deny + Null true 'behaves the same way as' Deny + Bool false; by the operator definitions the two differ for long-term keys - flagged as a judgement call.)",
    SRC_A8 + '; ' + UG + 'reference_policies_elements_condition_operators.html (Condition operator to check existence of condition keys)',
    {"identity": [P(S('Allow', 's3:GetObject', '*', sid='AllowGet'), S('Deny', 's3:GetObject', '*', sid='DenyKeyAbsent', cond={"Null": {"aws:MultiFactorAuthPresent": "true"}}))]},
    R(lt_p, 's3:GetObject', res), 'explicitDeny', matched=[M('identity[0]', 'DenyKeyAbsent')])

# ---------------- A9 ----------------
SRC_A9 = UG + 'reference_policies_variables.html'
team_pol = P(S('Allow', 's3:ListBucket', "arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}", sid='TeamBucket'))
add('a9-default-value-tag-present',
    "A9: Resource arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}; principal tagged team=yellow -> resource arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow. Request on that bucket: allowed.",
    SRC_A9, {"identity": [team_pol]},
    R('arn:aws:iam::111122223333:user/yellow-dev', 's3:ListBucket', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow',
      context=[C('aws:PrincipalTag/team', 'string', 'yellow')]),
    'allowed', matched=[M('identity[0]', 'TeamBucket')])
add('a9-default-value-tag-absent',
    "A9: same policy; principal without a team tag -> the default 'company-wide' is used: arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide. Allowed.",
    SRC_A9, {"identity": [team_pol]},
    R('arn:aws:iam::111122223333:user/untagged-dev', 's3:ListBucket', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide'),
    'allowed', matched=[M('identity[0]', 'TeamBucket')])
add('a9-missing-version-variable-is-literal',
    "A9: policy with no Version element (defaults to 2008-10-17) - '${aws:username}' is 'not recognized as a variable' and is a literal string; the troubleshooting page calls this policy incorrect. User alice asking for iam:CreateAccessKey on her own ARN does not match the literal resource .../user/${aws:username}. Implicit deny.",
    UG + 'troubleshoot_policies.html#missing-version',
    {"identity": [{"Statement": {"Action": "iam:*AccessKey*", "Effect": "Allow", "Resource": "arn:aws:iam::123456789012:user/${aws:username}"}}]},
    R('arn:aws:iam::123456789012:user/alice', 'iam:CreateAccessKey', 'arn:aws:iam::123456789012:user/alice'),
    'implicitDeny')
add('a9-missing-version-fixed-with-2012-version',
    "A9: the troubleshooting page's fix - add \"Version\": \"2012-10-17\" - makes ${aws:username} a variable resolving to alice. Allowed.",
    UG + 'troubleshoot_policies.html#missing-version',
    {"identity": [{"Version": "2012-10-17", "Statement": {"Action": "iam:*AccessKey*", "Effect": "Allow", "Resource": "arn:aws:iam::123456789012:user/${aws:username}"}}]},
    R('arn:aws:iam::123456789012:user/alice', 'iam:CreateAccessKey', 'arn:aws:iam::123456789012:user/alice'),
    'allowed', matched=[M('identity[0]', statement=0)])
deny_team = P(S('Allow', 's3:GetObject', '*', sid='AllowGet'),
              S('Deny', 's3:GetObject', '*', sid='DenyOtherTeams', cond={"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}}))
add('a9-stringnotequals-variable-unset-explicit-deny',
    "A9: Deny with StringNotEquals s3:ExistingObjectTag/Team = ${aws:PrincipalTag/Team}. The principal has no Team tag: 'Access is explicitly denied when aws:principaltag/Team is not set' (inverted operators match against a null value).",
    SRC_A9, {"identity": [deny_team]},
    R('arn:aws:iam::111122223333:user/no-team', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/plan.txt',
      context=[C('s3:ExistingObjectTag/Team', 'string', 'blue')]),
    'explicitDeny', matched=[M('identity[0]', 'DenyOtherTeams')])

# ---------------- A10 ----------------
SRC_A10 = UG + 'policies_policy-simulator-how-to.html'
add('a10-missing-context-key-implicit-deny',
    "A10: a context key referenced by a policy but not supplied -> the simulation still runs, returns implicit deny and lists the key in MissingContextValues. Allow requires StringEquals aws:PrincipalTag/department=finance; no such context entry.",
    SRC_A10, {"identity": [P(S('Allow', 's3:GetObject', '*', sid='FinanceOnly', cond={"StringEquals": {"aws:PrincipalTag/department": "finance"}}))]},
    R('arn:aws:iam::111122223333:user/alice', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/budget.xlsx'),
    'implicitDeny', missing=['aws:PrincipalTag/department'])
add('a10-scp-explicit-deny-overrides-identity-allow',
    "A10: an SCP explicit deny -> explicit deny attributed to AWS Organizations; an Allow elsewhere (identity policy allows s3:*) cannot override. (SCP statements are never listed in MatchedStatements, so no matched list is asserted.)",
    SRC_A10, {"identity": [P(S('Allow', 's3:*', '*', sid='AllowS3'))],
              "scp": [[P(S('Allow', '*', '*', sid='FullAWSAccess'), S('Deny', 's3:DeleteBucket', '*', sid='DenyDeleteBucket'))]]},
    R('arn:aws:iam::111122223333:user/alice', 's3:DeleteBucket', 'arn:aws:s3:::amzn-s3-demo-bucket'), 'explicitDeny')
add('a10-excluding-only-allowing-policy-implicit-deny',
    "A10: excluding the only policy that granted access -> implicit deny. The remaining identity policy allows only ec2:DescribeInstances.",
    SRC_A10, {"identity": [id_none]},
    R('arn:aws:iam::111122223333:user/alice', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/budget.xlsx'), 'implicitDeny')
add('a10-no-policies-implicit-deny',
    "Default rule: 'By default, all requests are implicitly denied' (except the account root user). An IAM user with no policies at all. Implicit deny.",
    SRC_A4, {},
    R('arn:aws:iam::111122223333:user/alice', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/budget.xlsx'), 'implicitDeny')

write(T, cases)
