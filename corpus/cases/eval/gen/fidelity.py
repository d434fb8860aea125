"""Issue 15 ("Fidelity"): where the model departed from the AWS documentation. Each rule has
cases in both directions: where it applies and where it does not. Writes fidelity.json."""
from lib import *
T = 'fidelity'
cases = []
def add(suffix, *a, **k):
    cases.append(case(T + '-' + suffix, *a, **k))

A = '111122223333'; X = '444455556666'
alice = f'arn:aws:iam::{A}:user/alice'
bob = f'arn:aws:iam::{A}:user/bob'
carol = f'arn:aws:iam::{X}:user/carol'
sess = f'arn:aws:sts::{A}:assumed-role/Analyst/s1'
fed = f'arn:aws:sts::{A}:federated-user/fed-alice'
root = f'arn:aws:iam::{A}:root'
OBJ = 'arn:aws:s3:::amzn-s3-demo-bucket/data.csv'
BUCKET = ['arn:aws:s3:::amzn-s3-demo-bucket', 'arn:aws:s3:::amzn-s3-demo-bucket/*']
Q = f'arn:aws:sqs:us-east-1:{A}:orders'

# ---------------- 1. RCPs govern only the services that support them ----------------
SRC_RCP = ('https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-supported-services'
           ' ("RCPs apply to resources for a subset of AWS services"; "List of AWS services that support RCPs")')
RCPFULL = S('Allow', '*', '*', sid='RCPFullAWSAccess', principal="*")
def rcp_deny(action, sid):
    return [[P(RCPFULL, S('Deny', action, '*', sid=sid, principal="*"))]]
COLLAB = f'arn:aws:cleanrooms:us-east-1:{A}:collaboration/c7f3a1e2'
for svc, action, resource in [
        ('cleanrooms', 'cleanrooms:GetCollaboration', COLLAB),
        ('cleanrooms-ml', 'cleanrooms-ml:GetTrainingDataset', f'arn:aws:cleanrooms-ml:us-east-1:{A}:training-dataset/td1'),
        ('glue', 'glue:GetTable', f'arn:aws:glue:us-east-1:{A}:table/db/t1'),
        ('iam', 'iam:GetRole', f'arn:aws:iam::{A}:role/Analyst')]:
    add(f'rcp-deny-{svc}-does-not-apply',
        f"An RCP denies {svc}:* (RCPFullAWSAccess beside it, as AWS attaches it everywhere). {svc} is not on the "
        "Organizations list of services that support RCPs (stored copy 2026-09-26: 62 services, Clean Rooms, Glue and IAM not among them), "
        "so the RCP does not restrict the request; the identity policy allows. Allowed.",
        SRC_RCP, {"identity": [P(S('Allow', f'{svc}:*', '*', sid='AllowService'))], "rcp": rcp_deny(f'{svc}:*', 'DenyService')},
        R(sess, action, resource), 'allowed', matched=[M('identity[0]', 'AllowService')])
add('rcp-deny-s3-applies',
    "The same RCP shape denying s3:*: s3 is on the list of services that support RCPs, so the RCP Deny applies. Explicit deny.",
    SRC_RCP, {"identity": [P(S('Allow', 's3:*', '*', sid='AllowService'))], "rcp": rcp_deny('s3:*', 'DenyService')},
    R(sess, 's3:GetObject', OBJ, resource_account=A), 'explicitDeny', matched=[M('rcp[0][0]', 'DenyService')])
add('rcp-deny-sqs-applies',
    "An RCP denying sqs:*: sqs is on the list of services that support RCPs. Explicit deny.",
    SRC_RCP, {"identity": [P(S('Allow', 'sqs:*', '*', sid='AllowService'))], "rcp": rcp_deny('sqs:*', 'DenyService')},
    R(sess, 'sqs:SendMessage', Q), 'explicitDeny', matched=[M('rcp[0][0]', 'DenyService')])
add('rcp-deny-all-actions-spares-cleanrooms',
    "An RCP Deny with Action * and a condition that holds (aws:SecureTransport false): it would deny every supported service, "
    "but cleanrooms is not one, so a Clean Rooms request is not restricted. Allowed.",
    SRC_RCP, {"identity": [P(S('Allow', 'cleanrooms:*', '*', sid='AllowService'))],
              "rcp": [[P(RCPFULL, S('Deny', '*', '*', sid='DenyInsecure', principal="*", cond={"Bool": {"aws:SecureTransport": "false"}}))]]},
    R(sess, 'cleanrooms:GetCollaboration', COLLAB, context=[C('aws:SecureTransport', 'boolean', 'false')]),
    'allowed', matched=[M('identity[0]', 'AllowService')])
add('rcp-deny-all-actions-denies-kms',
    "The same RCP (Deny * when aws:SecureTransport is false) on a kms request: kms supports RCPs. Explicit deny.",
    SRC_RCP, {"identity": [P(S('Allow', 'kms:*', '*', sid='AllowService'))],
              "resource": P(S('Allow', 'kms:*', '*', sid='KeyPolicy', principal={"AWS": root})),
              "rcp": [[P(RCPFULL, S('Deny', '*', '*', sid='DenyInsecure', principal="*", cond={"Bool": {"aws:SecureTransport": "false"}}))]]},
    R(sess, 'kms:Decrypt', f'arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      context=[C('aws:SecureTransport', 'boolean', 'false')]),
    'explicitDeny', matched=[M('rcp[0][0]', 'DenyInsecure')])

# ---------------- 2. Federated users need a session policy ----------------
SRC_GFT = ('https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html ("if you do not pass any session policies, '
           'then the resulting federated user session has no permissions. When you pass session policies, the session permissions are the '
           'intersection of the IAM user policies and the session policies that you pass"); '
           'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html')
id_s3 = P(S('Allow', 's3:*', '*', sid='AllowS3'))
add('federated-no-session-policy-no-permissions',
    "A federated user (GetFederationToken) created without a session policy; the federating user's identity policy allows s3:*. "
    "'the resulting federated user session has no permissions'. Implicit deny.",
    SRC_GFT, {"identity": [id_s3]}, R(fed, 's3:GetObject', OBJ), 'implicitDeny')
add('federated-session-policy-and-identity-allow',
    "The same federated user with a session policy allowing s3:GetObject: the intersection of the user's policies and the session policy allows. Allowed.",
    SRC_GFT, {"identity": [id_s3], "session": [P(S('Allow', 's3:GetObject', '*', sid='SessionGet'))]},
    R(fed, 's3:GetObject', OBJ), 'allowed', matched=[M('identity[0]', 'AllowS3')])
add('federated-session-policy-beyond-identity',
    "A session policy cannot grant more than the federating user's identity policy: the session policy allows sqs:*, the identity policy only s3:*. Implicit deny.",
    SRC_GFT, {"identity": [id_s3], "session": [P(S('Allow', 'sqs:*', '*', sid='SessionSqs'))]},
    R(fed, 'sqs:SendMessage', Q), 'implicitDeny')
add('federated-no-session-policy-resource-names-session',
    "No session policy, no identity permission, but the queue's policy names the federated user session: 'If that policy specifically "
    "references the federated user session in the Principal element of the policy, the session has the permissions allowed by the policy.' Allowed.",
    SRC_GFT, {"resource": P(S('Allow', 'sqs:SendMessage', Q, sid='GrantFed', principal={"AWS": fed}))},
    R(fed, 'sqs:SendMessage', Q), 'allowed', matched=[M('resource', 'GrantFed')])
add('federated-no-session-policy-grant-to-account',
    "No session policy; the queue's policy grants the account (arn:aws:iam::111122223333:root), which only delegates to the account's "
    "identity-based permissions, and the session has none ('no permissions'). Implicit deny.",
    SRC_GFT, {"identity": [P(S('Allow', 'sqs:*', '*', sid='AllowSqs'))],
              "resource": P(S('Allow', 'sqs:SendMessage', Q, sid='GrantAccount', principal={"AWS": root}))},
    R(fed, 'sqs:SendMessage', Q), 'implicitDeny')
add('role-session-without-session-policy-keeps-identity',
    "The rule is for federated users only: a role session created without a session policy has the role's identity permissions "
    "(session policies, when passed, limit; when not passed, nothing limits). Allowed.",
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session',
    {"identity": [id_s3]}, R(sess, 's3:GetObject', OBJ), 'allowed', matched=[M('identity[0]', 'AllowS3')])

# ---------------- 3. sts:GetCallerIdentity ----------------
SRC_GCI = ('https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html ("No permissions are required to perform '
           'this operation. If an administrator attaches a policy to your identity that explicitly denies access to the '
           'sts:GetCallerIdentity action, you can still perform this operation. Permissions are not required because the same '
           'information is returned when access is denied.")')
add('getcalleridentity-needs-no-policy',
    "A role session with no policy at all calls sts:GetCallerIdentity: no permission is required. Allowed.",
    SRC_GCI, {}, R(sess, 'sts:GetCallerIdentity', '*'), 'allowed')
add('getcalleridentity-explicit-deny-ignored',
    "The identity policy explicitly denies sts:GetCallerIdentity: 'you can still perform this operation'. Allowed.",
    SRC_GCI, {"identity": [P(S('Deny', 'sts:GetCallerIdentity', '*', sid='DenyWhoAmI'))]},
    R(alice, 'sts:GetCallerIdentity', '*'), 'allowed')
add('getcalleridentity-scp-deny-ignored',
    "An SCP denies sts:*: the operation needs no permission, and the page's reason ('the same information is returned when access is "
    "denied') holds whichever policy denies. Allowed.",
    SRC_GCI, {"scp": [[P(S('Allow', '*', '*', sid='FullAWSAccess'), S('Deny', 'sts:*', '*', sid='DenySts'))]]},
    R(fed, 'sts:GetCallerIdentity', '*'), 'allowed')
add('getsessiontoken-still-needs-no-deny',
    "The exemption is for GetCallerIdentity only: an identity Deny of sts:GetAccessKeyInfo applies. Explicit deny.",
    SRC_GCI, {"identity": [P(S('Allow', 'sts:*', '*', sid='AllowSts'), S('Deny', 'sts:GetAccessKeyInfo', '*', sid='DenyKeyInfo'))]},
    R(alice, 'sts:GetAccessKeyInfo', '*'), 'explicitDeny', matched=[M('identity[0]', 'DenyKeyInfo')])
add('getaccesskeyinfo-needs-permission',
    "The exemption is for GetCallerIdentity only: sts:GetAccessKeyInfo with no policy is not allowed. Implicit deny.",
    SRC_GCI, {}, R(sess, 'sts:GetAccessKeyInfo', '*'), 'implicitDeny')

# ---------------- 4. NotPrincipal {"AWS": "*"} ----------------
SRC_NP = ('https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous ("All principals": '
          '"You can use a wildcard (*) to specify all principals"); https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html')
def np_bucket(extra_allow_principal):
    return P(S('Deny', 's3:*', BUCKET, sid='DenyAllButEveryone', notprincipal={"AWS": "*"}),
             S('Allow', 's3:GetObject', BUCKET[1], sid='Grant', principal={"AWS": extra_allow_principal}))
for name, who, extra in [('user', alice, {}), ('role-session', sess, {}), ('root', root, {}),
                         ('federated-user', fed, {"session": [P(S('Allow', 's3:*', '*', sid='SessionS3'))]})]:
    add(f'notprincipal-aws-star-exempts-{name}',
        f"A bucket policy denies s3:* to everyone NotPrincipal {{\"AWS\": \"*\"}} and grants s3:GetObject to the caller ({name}). "
        "{\"AWS\": \"*\"} names every AWS principal, so NotPrincipal exempts every IAM user, role session, federated user and account: the Deny applies to none of them. Allowed.",
        SRC_NP, dict({"resource": np_bucket(who)}, **extra), R(who, 's3:GetObject', OBJ, resource_account=A),
        'allowed', matched=[M('resource', 'Grant')])
add('notprincipal-aws-star-does-not-exempt-service',
    "The same Deny (NotPrincipal {\"AWS\": \"*\"}) against a service principal: a service is named under \"Service\", not \"AWS\", so it is not exempted. Explicit deny.",
    SRC_NP, {"resource": P(S('Deny', 's3:*', BUCKET, sid='DenyAllButEveryone', notprincipal={"AWS": "*"}),
                           S('Allow', 's3:GetObject', BUCKET[1], sid='Grant', principal={"Service": "cleanrooms.amazonaws.com"}))},
    R({"service": "cleanrooms.amazonaws.com"}, 's3:GetObject', OBJ, resource_account=A), 'explicitDeny', matched=[M('resource', 'DenyAllButEveryone')])
add('notprincipal-aws-star-boundary-still-denied',
    "The NotPrincipal page: 'The NotPrincipal element with a Deny effect will always deny any IAM principal that has a permissions boundary policy attached, "
    "regardless of the values specified in the NotPrincipal element.' With a boundary, even {\"AWS\": \"*\"} does not exempt. Explicit deny.",
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
    {"identity": [id_s3], "boundary": P(S('Allow', 's3:*', '*', sid='Boundary')), "resource": np_bucket(alice)},
    R(alice, 's3:GetObject', OBJ, resource_account=A), 'explicitDeny', matched=[M('resource', 'DenyAllButEveryone')])
add('notprincipal-named-user-still-denies-others',
    "NotPrincipal naming one user (and the account) still denies every other user: only {\"AWS\": \"*\"} exempts everyone. Explicit deny.",
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
    {"identity": [id_s3], "resource": P(S('Deny', 's3:*', BUCKET, sid='DenyAllButBob', notprincipal={"AWS": [bob, root]}))},
    R(alice, 's3:GetObject', OBJ, resource_account=A), 'explicitDeny', matched=[M('resource', 'DenyAllButBob')])

# ---------------- 5. ForAnyValue ... IfExists ----------------
SRC_SET = ('https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html '
           '(ForAnyValue: "For no matching context key or if the key does not exist, the condition returns false"); '
           'https://repost.aws/questions/QU9HFmDzP0QGuU-fd7rS6B7w/foranyvalue-stringequalsifexists-behaving-unexpectedly (AWS denies sqs:ListQueues under '
           'an Allow with ForAnyValue:StringEqualsIfExists on aws:TagKeys, a key ListQueues does not carry)')
SRC_IFX = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists'
def cond_allow(cond):
    return P(S('Allow', 'sqs:*', '*', sid='Cond', cond=cond))
TAGS = 'aws:TagKeys'
add('foranyvalue-ifexists-missing-key-false',
    "The re:Post case: Allow sqs:* when ForAnyValue:StringEqualsIfExists aws:TagKeys = team; sqs:ListQueues carries no aws:TagKeys. "
    "ForAnyValue is false on a missing key, IfExists or not. Implicit deny.",
    SRC_SET, {"identity": [cond_allow({"ForAnyValue:StringEqualsIfExists": {TAGS: "team"}})]},
    R(sess, 'sqs:ListQueues', '*'), 'implicitDeny', missing=[TAGS])
add('foranyvalue-ifexists-empty-key-false',
    "ForAnyValue:StringEqualsIfExists with aws:TagKeys present but empty: ForAnyValue 'returns false' on an empty data set (2023 page). Implicit deny.",
    SRC_SET, {"identity": [cond_allow({"ForAnyValue:StringEqualsIfExists": {TAGS: "team"}})]},
    R(sess, 'sqs:TagQueue', Q, context=[C(TAGS, 'stringList')]), 'implicitDeny')
add('foranyvalue-ifexists-present-key-matches',
    "ForAnyValue:StringEqualsIfExists with aws:TagKeys = [team, cost]: one value matches. Allowed.",
    SRC_SET, {"identity": [cond_allow({"ForAnyValue:StringEqualsIfExists": {TAGS: "team"}})]},
    R(sess, 'sqs:TagQueue', Q, context=[C(TAGS, 'stringList', 'team', 'cost')]), 'allowed', matched=[M('identity[0]', 'Cond')])
add('foranyvalue-negated-ifexists-missing-key-false',
    "ForAnyValue:StringNotEqualsIfExists on a missing key: still ForAnyValue, still false. Implicit deny.",
    SRC_SET, {"identity": [cond_allow({"ForAnyValue:StringNotEqualsIfExists": {TAGS: "team"}})]},
    R(sess, 'sqs:ListQueues', '*'), 'implicitDeny', missing=[TAGS])
add('forallvalues-ifexists-missing-key-true',
    "ForAllValues:StringEqualsIfExists on a missing key: ForAllValues 'also returns true if there are no context keys in the request'. Allowed.",
    SRC_SET, {"identity": [cond_allow({"ForAllValues:StringEqualsIfExists": {TAGS: "team"}})]},
    R(sess, 'sqs:ListQueues', '*'), 'allowed', matched=[M('identity[0]', 'Cond')], missing=[TAGS])
add('plain-ifexists-missing-key-true',
    "A single-valued operator with IfExists on a missing key: 'If the key is not present, evaluate the condition element as true.' Allowed.",
    SRC_IFX, {"identity": [cond_allow({"StringEqualsIfExists": {"aws:SourceVpc": "vpc-111bbb22"}})]},
    R(sess, 'sqs:ListQueues', '*'), 'allowed', matched=[M('identity[0]', 'Cond')], missing=['aws:SourceVpc'])
add('foranyvalue-ifexists-deny-missing-key-does-not-deny',
    "A Deny with ForAnyValue:StringEqualsIfExists on a missing key does not apply (the condition is false); the Allow beside it decides. Allowed.",
    SRC_SET, {"identity": [P(S('Allow', 'sqs:*', '*', sid='AllowSqs'),
                             S('Deny', 'sqs:*', '*', sid='DenyTeamTag', cond={"ForAnyValue:StringEqualsIfExists": {TAGS: "team"}}))]},
    R(sess, 'sqs:ListQueues', '*'), 'allowed', matched=[M('identity[0]', 'AllowSqs')], missing=[TAGS])

# ---------------- 6. Allow with NotPrincipal ----------------
SRC_NPA = ('https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html (current: "NotPrincipal must be used with '
           '\\"Effect\\":\\"Deny\\". Using it with \\"Effect\\":\\"Allow\\" is not supported."); the same page, 2023 text '
           '(awsdocs/iam-user-guide doc_source/reference_policies_elements_notprincipal.md): "Doing so allows all principals except the one named in '
           'the NotPrincipal element ... you might grant access to anonymous (unauthenticated) users"')
def allow_np(listed):
    return P(S('Allow', 's3:GetObject', BUCKET[1], sid='AllowAllButBob', notprincipal={"AWS": listed}))
add('allow-notprincipal-grants-unlisted-same-account',
    "A legacy bucket policy with Allow + NotPrincipal [bob, account]: rejected in new policies, and where one exists it grants everyone not listed, "
    "like \"*\". Alice (same account, no identity policy) is not listed. Allowed.",
    SRC_NPA, {"resource": allow_np([bob, root])}, R(alice, 's3:GetObject', OBJ, resource_account=A),
    'allowed', matched=[M('resource', 'AllowAllButBob')])
add('allow-notprincipal-listed-principal-not-granted',
    "The same policy and Bob, who is listed (with his account): the statement does not apply to him, and he has no other permission. Implicit deny.",
    SRC_NPA, {"resource": allow_np([bob, root])}, R(bob, 's3:GetObject', OBJ, resource_account=A), 'implicitDeny')
add('allow-notprincipal-grants-anonymous',
    "The same policy and an anonymous caller: 'you might grant access to anonymous (unauthenticated) users'. Allowed.",
    SRC_NPA, {"resource": allow_np([bob, root])}, R("anonymous", 's3:GetObject', OBJ, resource_account=A),
    'allowed', matched=[M('resource', 'AllowAllButBob')])
add('allow-notprincipal-cross-account-needs-identity',
    "Carol of another account, not listed: the bucket's side allows, but across accounts her own account must allow too, and it does not. Implicit deny.",
    SRC_NPA + '; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html',
    {"resource": allow_np([bob, root])}, R(carol, 's3:GetObject', OBJ, resource_account=A), 'implicitDeny')
add('allow-notprincipal-cross-account-with-identity',
    "Carol with an identity policy allowing s3:GetObject: both accounts allow. Allowed.",
    SRC_NPA + '; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html',
    {"identity": [id_s3], "resource": allow_np([bob, root])}, R(carol, 's3:GetObject', OBJ, resource_account=A),
    'allowed', matched=[M('identity[0]', 'AllowS3'), M('resource', 'AllowAllButBob')])

# ---------------- 7. Root ARNs keep their partition ----------------
SRC_ARN = ('https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html (an ARN names its partition: aws, aws-cn, aws-us-gov); '
           'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn')
CN_OBJ = 'arn:aws-cn:s3:::amzn-s3-demo-bucket/data.csv'
cn_root = f'arn:aws-cn:iam::{A}:root'
def deny_root(arn):
    return P(S('Deny', 's3:*', 'arn:aws-cn:s3:::amzn-s3-demo-bucket/*', sid='NoRoot', principal="*", cond={"ArnEquals": {"aws:PrincipalArn": arn}}))
add('root-principalarn-keeps-aws-cn-partition',
    "The root user of an account in the aws-cn partition: aws:PrincipalArn is arn:aws-cn:iam::111122223333:root. A Deny on that ARN applies. Explicit deny.",
    SRC_ARN, {"resource": deny_root(cn_root)}, R(cn_root, 's3:GetObject', CN_OBJ, resource_account=A),
    'explicitDeny', matched=[M('resource', 'NoRoot')])
add('root-principalarn-aws-cn-is-not-aws',
    "The same aws-cn root user against a Deny on arn:aws:iam::111122223333:root (the aws partition): its aws:PrincipalArn is not that ARN, so the Deny does not apply; the root user needs no identity policy. Allowed.",
    SRC_ARN, {"resource": deny_root(root)}, R(cn_root, 's3:GetObject', CN_OBJ, resource_account=A), 'allowed')
add('root-principalarn-aws-partition',
    "The root user in the aws partition: aws:PrincipalArn is arn:aws:iam::111122223333:root, and the Deny on it applies. Explicit deny.",
    SRC_ARN, {"resource": P(S('Deny', 's3:*', BUCKET[1], sid='NoRoot', principal="*", cond={"ArnEquals": {"aws:PrincipalArn": root}}))},
    R(root, 's3:GetObject', OBJ, resource_account=A), 'explicitDeny', matched=[M('resource', 'NoRoot')])

write(T, cases)
