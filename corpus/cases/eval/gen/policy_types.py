from lib import *
T = 'policy-types'
cases = []
def add(suffix, *a, **k):
    cases.append(case(T + '-' + suffix, *a, **k))
SRC_EVAL = UG + 'reference_policies_evaluation-logic_policy-eval-denyallow.html'
SRC_XA = UG + 'reference_policies_evaluation-logic-cross-account.html'
SRC_PRIN = UG + 'reference_policies_elements_principal.html'
SRC_SCP = SRC_EVAL + ' (SCPs step); ' + SEED1 + ': Other policy types - Service control policies (SCPs)'
SRC_RCP = SRC_EVAL + ' (RCPs step: RCPs apply to resources of the account they are attached to; RCPFullAWSAccess)'
SRC_BND = UG + 'access_policies_boundaries.html'
SRC_SESS = UG + 'access_policies.html#policies_session'
SRC_GCK = UG + 'reference_policies_condition-keys.html'
A = '111122223333'; X = '444455556666'
alice = f'arn:aws:iam::{A}:user/alice'
role = f'arn:aws:iam::{A}:role/AppRole'
sess = f'arn:aws:sts::{A}:assumed-role/AppRole/app-session'
fed = f'arn:aws:sts::{A}:federated-user/fed-alice'
root = f'arn:aws:iam::{A}:root'
OBJ = 'arn:aws:s3:::amzn-s3-demo-bucket/data.csv'
FULL = P(S('Allow', '*', '*', sid='FullAWSAccess'))
id_s3 = P(S('Allow', 's3:*', '*', sid='AllowS3'))
id_ec2s3 = P(S('Allow', ['s3:*', 'ec2:*'], '*', sid='AllowS3Ec2'))
# A federated user (GetFederationToken) has no permissions without a session policy
# (API_GetFederationToken.html): the derived-key cases for it pass one that allows s3:*.
fed_session = [P(S('Allow', 's3:*', '*', sid='SessionS3'))]

# ---------------- SCP ----------------
add('scp-single-level-full-access',
    "SCP: one level (account) with FullAWSAccess; the identity policy allows s3:GetObject. SCPs only set maximum permissions; both allow. Allowed.",
    SRC_SCP, {"identity": [id_s3], "scp": [[FULL]]}, R(alice, 's3:GetObject', OBJ), 'allowed')
ou_s3 = P(S('Allow', 's3:*', '*', sid='OuS3Only'))
three = [[FULL], [ou_s3], [FULL]]
add('scp-three-levels-all-allow',
    "SCP levels root (FullAWSAccess) -> OU (allows s3:*) -> account (FullAWSAccess): every level allows s3:GetObject and the identity policy allows it. Allowed.",
    SRC_SCP, {"identity": [id_ec2s3], "scp": three}, R(alice, 's3:GetObject', OBJ), 'allowed')
add('scp-ou-level-lacks-allow',
    "SCP levels root (FullAWSAccess) -> OU (allows only s3:*) -> account (FullAWSAccess). ec2:StartInstances has no Allow at the OU level; 'every level must allow'. The identity policy allows ec2:*. Implicit deny (denied by Organizations; no SCP Deny statement, so not an explicit deny).",
    SRC_SCP, {"identity": [id_ec2s3], "scp": three}, R(alice, 'ec2:StartInstances', f'arn:aws:ec2:us-east-1:{A}:instance/i-0abcd1234ef567890'), 'implicitDeny')
add('scp-account-level-lacks-allow',
    "SCP levels root (FullAWSAccess) -> OU (FullAWSAccess) -> account (allows only ec2:*). s3:GetObject is not allowed at the account level. Implicit deny.",
    SRC_SCP, {"identity": [id_ec2s3], "scp": [[FULL], [FULL], [P(S('Allow', 'ec2:*', '*', sid='AcctEc2Only'))]]}, R(alice, 's3:GetObject', OBJ), 'implicitDeny')
add('scp-root-level-lacks-allow',
    "SCP levels root (allows only iam:*) -> account (FullAWSAccess). s3:GetObject is not allowed at the root level. Implicit deny.",
    SRC_SCP, {"identity": [id_s3], "scp": [[P(S('Allow', 'iam:*', '*', sid='RootIamOnly'))], [FULL]]}, R(alice, 's3:GetObject', OBJ), 'implicitDeny')
add('scp-level-with-two-policies-one-allows',
    "A level with several SCPs allows an action if any of its SCPs allows it: the OU level has [ec2-only SCP, s3-only SCP]. s3:GetObject allowed at every level. Allowed.",
    SRC_SCP, {"identity": [id_s3], "scp": [[FULL], [P(S('Allow', 'ec2:*', '*', sid='Ec2')), P(S('Allow', 's3:*', '*', sid='S3'))], [FULL]]},
    R(alice, 's3:GetObject', OBJ), 'allowed')
add('scp-explicit-deny-at-ou',
    "An explicit Deny in an OU-level SCP (Deny s3:DeleteBucket) overrides the identity Allow. Explicit deny attributed to Organizations.",
    SRC_SCP, {"identity": [id_s3], "scp": [[FULL], [P(S('Allow', '*', '*', sid='FullAWSAccess'), S('Deny', 's3:DeleteBucket', '*', sid='ProtectBuckets'))], [FULL]]},
    R(alice, 's3:DeleteBucket', 'arn:aws:s3:::amzn-s3-demo-bucket'), 'explicitDeny')
add('scp-does-not-grant',
    "SCPs never grant permissions: FullAWSAccess at the only level, but the user has no identity-based Allow. Implicit deny.",
    SRC_SCP, {"scp": [[FULL]]}, R(alice, 's3:GetObject', OBJ), 'implicitDeny')
add('scp-limits-resource-policy-grant',
    "SCPs are evaluated before the resource-based policy: a same-account bucket policy grants alice's user ARN (which alone would be enough), but the account's SCP level allows only ec2:*. Implicit deny.",
    SRC_EVAL, {"scp": [[P(S('Allow', 'ec2:*', '*', sid='Ec2Only'))]],
               "resource": P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='GrantAlice', principal={"AWS": alice}))},
    R(alice, 's3:GetObject', OBJ, resource_account=A), 'implicitDeny')
add('scp-root-user-full-access',
    "The account root user of a member account: no identity policies (root cannot have any), SCP FullAWSAccess. Root 'has full access' by default. Allowed.",
    SRC_EVAL, {"scp": [[FULL]]}, R(root, 's3:GetObject', OBJ, resource_account=A), 'allowed')
add('scp-root-user-explicit-deny',
    "'The SCP limits permissions for entities in member accounts, including each AWS account root user.' An SCP Deny on s3:DeleteBucket applies to the root user. Explicit deny.",
    SRC_SCP, {"scp": [[P(S('Allow', '*', '*', sid='FullAWSAccess'), S('Deny', 's3:DeleteBucket', '*', sid='ProtectBuckets'))]]},
    R(root, 's3:DeleteBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', resource_account=A), 'explicitDeny')
add('scp-root-user-not-allowed-by-scp',
    "Root user of a member account, SCP level allows only ec2:*. The SCP limits the root user too: s3:GetObject has no SCP Allow. Implicit deny.",
    SRC_SCP, {"scp": [[P(S('Allow', 'ec2:*', '*', sid='Ec2Only'))]]}, R(root, 's3:GetObject', OBJ, resource_account=A), 'implicitDeny')
region_scp = P(S('Allow', '*', '*', sid='FullAWSAccess'),
               S('Deny', notaction=['iam:*', 'sts:*', 'organizations:*'], resource='*', sid='DenyOutsideApprovedRegions',
                 cond={"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]}}))
add('scp-region-deny-outside-region',
    "SCP Deny NotAction [iam:*, sts:*, organizations:*] with StringNotEquals aws:RequestedRegion [us-east-1, us-west-2]; request in eu-west-1. Explicit deny.",
    SRC_SCP, {"identity": [P(S('Allow', 'cleanrooms:*', '*', sid='AllowCleanRooms'))], "scp": [[region_scp]]},
    R(alice, 'cleanrooms:ListCollaborations', '*', context=[C('aws:RequestedRegion', 'string', 'eu-west-1')]), 'explicitDeny')
add('scp-region-deny-inside-region',
    "Same region-restriction SCP; request in us-east-1 -> StringNotEquals false; FullAWSAccess allows and the identity policy allows. Allowed.",
    SRC_SCP, {"identity": [P(S('Allow', 'cleanrooms:*', '*', sid='AllowCleanRooms'))], "scp": [[region_scp]]},
    R(alice, 'cleanrooms:ListCollaborations', '*', context=[C('aws:RequestedRegion', 'string', 'us-east-1')]), 'allowed')
add('scp-region-deny-notaction-exempt',
    "Same region-restriction SCP; iam:ListRoles is in NotAction so the Deny does not apply even from eu-west-1. Allowed.",
    SRC_SCP, {"identity": [P(S('Allow', 'iam:ListRoles', '*', sid='AllowListRoles'))], "scp": [[region_scp]]},
    R(alice, 'iam:ListRoles', '*', context=[C('aws:RequestedRegion', 'string', 'eu-west-1')]), 'allowed')
add('scp-allow-scoped-to-resource',
    "SCP Allow scoped to resources arn:aws:s3:::approved-*: a request on amzn-s3-demo-bucket has no SCP Allow. Implicit deny.",
    SRC_SCP, {"identity": [id_s3], "scp": [[P(S('Allow', 's3:*', ['arn:aws:s3:::approved-*', 'arn:aws:s3:::approved-*/*'], sid='ApprovedBuckets'))]]},
    R(alice, 's3:GetObject', OBJ), 'implicitDeny')
add('scp-applies-to-role-session',
    "SCPs apply to role sessions of the member account: SCP Deny cleanrooms:DeleteCollaboration. Explicit deny.",
    SRC_SCP, {"identity": [P(S('Allow', 'cleanrooms:*', '*', sid='AllowCleanRooms'))], "scp": [[P(S('Allow', '*', '*', sid='FullAWSAccess'), S('Deny', 'cleanrooms:DeleteCollaboration', '*', sid='NoDelete'))]]},
    R(sess, 'cleanrooms:DeleteCollaboration', f'arn:aws:cleanrooms:us-east-1:{A}:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'), 'explicitDeny')

# ---------------- RCP ----------------
RCPFULL = P(S('Allow', '*', '*', sid='RCPFullAWSAccess', principal="*"))
add('rcp-full-access-allowed',
    "RCPs apply to resources of the account they are attached to; RCPFullAWSAccess (Principal *, Action *, Resource *) at the only level; identity allows. Allowed.",
    SRC_RCP, {"identity": [id_s3], "rcp": [[RCPFULL]]}, R(alice, 's3:GetObject', OBJ, resource_account=A), 'allowed')
add('rcp-level-without-allow',
    "RCP levels root (RCPFullAWSAccess) -> OU whose only RCP is a Deny-only policy for another service (no Allow). 'No applicable Allow -> Deny' at that level. Implicit deny.",
    SRC_RCP, {"identity": [id_s3], "rcp": [[RCPFULL], [P(S('Deny', 'kms:ScheduleKeyDeletion', '*', sid='NoKeyDeletion', principal="*"))]]},
    R(alice, 's3:GetObject', OBJ, resource_account=A), 'implicitDeny')
add('rcp-does-not-grant',
    "RCPs never grant: RCPFullAWSAccess at the only level but no identity policy and no resource policy. Implicit deny.",
    SRC_RCP, {"rcp": [[RCPFULL]]}, R(alice, 's3:GetObject', OBJ, resource_account=A), 'implicitDeny')
perim = P(S('Allow', '*', '*', sid='RCPFullAWSAccess', principal="*"),
          S('Deny', 's3:*', '*', sid='EnforceOrgIdentities', principal="*",
            cond={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}))
bucket_any = P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='GrantPartner', principal={"AWS": "arn:aws:iam::999988887777:root"}))
add('rcp-data-perimeter-denies-external-principal',
    "RCP data perimeter on the resource account 111122223333: Deny s3:* to Principal * when aws:PrincipalOrgID is not o-a1b2c3d4e5 (and not an AWS service). A principal from account 999988887777 in another organization is allowed by its identity policy and by the bucket policy, but the RCP Deny applies. Explicit deny.",
    SRC_RCP,
    {"identity": [id_s3], "resource": bucket_any, "rcp": [[perim]]},
    R('arn:aws:iam::999988887777:user/partner', 's3:GetObject', OBJ, resource_account=A,
      context=[C('aws:PrincipalOrgID', 'string', 'o-zzzzzzzzzz'), C('aws:PrincipalIsAWSService', 'boolean', 'false')]), 'explicitDeny')
add('rcp-data-perimeter-allows-org-principal',
    "Same RCP; the caller is in organization o-a1b2c3d4e5 (same account as the bucket) -> StringNotEqualsIfExists false, Deny does not apply. Allowed.",
    SRC_RCP, {"identity": [id_s3], "rcp": [[perim]]},
    R(alice, 's3:GetObject', OBJ, resource_account=A,
      context=[C('aws:PrincipalOrgID', 'string', 'o-a1b2c3d4e5'), C('aws:PrincipalIsAWSService', 'boolean', 'false')]), 'allowed')
add('rcp-secure-transport-deny',
    "RCP Deny s3:* to Principal * when aws:SecureTransport is false. Request over HTTP. Explicit deny.",
    SRC_RCP, {"identity": [id_s3], "rcp": [[P(S('Allow', '*', '*', sid='RCPFullAWSAccess', principal="*"),
                                              S('Deny', 's3:*', '*', sid='EnforceTls', principal="*", cond={"Bool": {"aws:SecureTransport": "false"}}))]]},
    R(alice, 's3:GetObject', OBJ, resource_account=A, context=[C('aws:SecureTransport', 'boolean', 'false')]), 'explicitDeny')
add('rcp-deny-scoped-to-other-action',
    "RCP Deny only for s3:PutObject; request s3:GetObject -> not denied; RCPFullAWSAccess allows. Allowed.",
    SRC_RCP, {"identity": [id_s3], "rcp": [[P(S('Allow', '*', '*', sid='RCPFullAWSAccess', principal="*"), S('Deny', 's3:PutObject', '*', sid='NoWrites', principal="*"))]]},
    R(alice, 's3:GetObject', OBJ, resource_account=A), 'allowed')

# ---------------- Boundaries ----------------
add('boundary-intersection-allowed',
    "Permissions boundary: effective permissions = identity AND boundary. Identity allows s3:* and ec2:*, boundary allows s3:*. s3:GetObject allowed.",
    SRC_BND, {"identity": [id_ec2s3], "boundary": P(S('Allow', 's3:*', '*', sid='BoundaryS3'))}, R(alice, 's3:GetObject', OBJ), 'allowed')
add('boundary-intersection-blocks',
    "Same boundary (s3:* only): ec2:StartInstances is allowed by identity but outside the boundary. Implicit deny.",
    SRC_BND, {"identity": [id_ec2s3], "boundary": P(S('Allow', 's3:*', '*', sid='BoundaryS3'))},
    R(alice, 'ec2:StartInstances', f'arn:aws:ec2:us-east-1:{A}:instance/i-0abcd1234ef567890'), 'implicitDeny')
add('boundary-on-role-session',
    "Boundary on a role, request by a session of the role: identity allows cleanrooms:*, boundary allows only cleanrooms:Get*/List*. cleanrooms:CreateCollaboration is outside the boundary. Implicit deny.",
    SRC_BND, {"identity": [P(S('Allow', 'cleanrooms:*', '*', sid='AllowCleanRooms'))], "boundary": P(S('Allow', ['cleanrooms:Get*', 'cleanrooms:List*'], '*', sid='ReadOnlyBoundary'))},
    R(sess, 'cleanrooms:CreateCollaboration', f'arn:aws:cleanrooms:us-east-1:{A}:collaboration/f7a8b9c0-1234-56ab-cdef-EXAMPLE88888'), 'implicitDeny')
add('boundary-on-role-session-inside',
    "Same role boundary: cleanrooms:GetCollaboration is inside the boundary and allowed by identity. Allowed.",
    SRC_BND, {"identity": [P(S('Allow', 'cleanrooms:*', '*', sid='AllowCleanRooms'))], "boundary": P(S('Allow', ['cleanrooms:Get*', 'cleanrooms:List*'], '*', sid='ReadOnlyBoundary'))},
    R(sess, 'cleanrooms:GetCollaboration', f'arn:aws:cleanrooms:us-east-1:{A}:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'), 'allowed')
add('boundary-with-condition',
    "A boundary statement with a condition: boundary allows s3:* only when aws:RequestedRegion = us-east-1; request in us-west-2. Implicit deny.",
    SRC_BND, {"identity": [id_s3], "boundary": P(S('Allow', 's3:*', '*', sid='BoundaryRegion', cond={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))},
    R(alice, 's3:GetObject', OBJ, context=[C('aws:RequestedRegion', 'string', 'us-west-2')]), 'implicitDeny')
add('boundary-limits-account-principal-grant',
    "A resource policy that names the account (not the user) delegates to the account's identity-side policies, which include the boundary: identity allows s3:GetObject, the bucket policy names account 111122223333, but the boundary only allows ec2:*. Implicit deny. (Rule-derived: account-principal grants are not a grant to the user ARN, so the boundary exemption for user-ARN grants does not apply.)",
    SRC_BND + '; ' + SRC_PRIN + ' (AWS account principals)',
    {"identity": [id_s3], "boundary": P(S('Allow', 'ec2:*', '*', sid='BoundaryEc2')),
     "resource": P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='GrantAccount', principal={"AWS": A}))},
    R(alice, 's3:GetObject', OBJ, resource_account=A), 'implicitDeny')

# ---------------- Session policies ----------------
sp_get = P(S('Allow', 's3:GetObject', '*', sid='SessionGet'))
add('session-role-identity-and-session-allow',
    "Role session created with a session policy: permissions = identity AND session policy. Both allow s3:GetObject. Allowed.",
    SRC_SESS, {"identity": [id_s3], "session": [sp_get]}, R(sess, 's3:GetObject', OBJ), 'allowed')
add('session-role-session-policy-narrows',
    "Role session with session policy allowing only s3:GetObject; s3:PutObject is allowed by the role's identity policy but not by the session policy. Implicit deny.",
    SRC_SESS, {"identity": [id_s3], "session": [sp_get]}, R(sess, 's3:PutObject', OBJ), 'implicitDeny')
add('session-role-session-policy-explicit-deny',
    "Role session whose session policy has an explicit Deny for s3:GetObject. Explicit deny.",
    SRC_SESS, {"identity": [id_s3], "session": [P(S('Allow', '*', '*', sid='SessionAll'), S('Deny', 's3:GetObject', '*', sid='SessionDenyGet'))]},
    R(sess, 's3:GetObject', OBJ), 'explicitDeny', matched=[M('session[0]', 'SessionDenyGet')])
add('session-role-session-policy-cannot-expand',
    "A session policy cannot grant more than the role's identity policy: session allows cleanrooms:*, identity allows only s3:*. Implicit deny.",
    SRC_SESS, {"identity": [id_s3], "session": [P(S('Allow', 'cleanrooms:*', '*', sid='SessionCleanRooms'))]},
    R(sess, 'cleanrooms:ListCollaborations', '*'), 'implicitDeny')
add('session-multiple-session-policies-any-allows',
    "Several session policies (one inline plus managed policy ARNs) passed together: the first allows only dynamodb:GetItem, the second allows s3:GetObject. Identity allows s3:*. Allowed. (Judgement: the session policies are treated as one set whose Allows combine, like several attached identity policies; the docs describe the inline + managed ARNs together as 'the session policies'.)",
    SRC_SESS, {"identity": [id_s3], "session": [P(S('Allow', 'dynamodb:GetItem', '*', sid='SessionDdb')), sp_get]}, R(sess, 's3:GetObject', OBJ), 'allowed')
add('session-no-session-policy-role-identity-applies',
    "Role session without a session policy: 'no session policy passed -> Allow' at that step; the role's identity policy alone decides. Allowed.",
    SRC_EVAL, {"identity": [id_s3]}, R(sess, 's3:GetObject', OBJ), 'allowed', matched=[M('identity[0]', 'AllowS3')])
add('session-federated-user-identity-and-session-allow',
    "STS federated user (GetFederationToken) session: permissions = the federating IAM user's identity policies AND the session policy. Both allow s3:GetObject. Allowed.",
    SRC_SESS, {"identity": [id_s3], "session": [sp_get]}, R(fed, 's3:GetObject', OBJ), 'allowed')
add('session-federated-user-session-policy-narrows',
    "Federated user session: session policy allows only s3:GetObject; s3:DeleteObject allowed by identity but not by the session policy. Implicit deny.",
    SRC_SESS, {"identity": [id_s3], "session": [sp_get]}, R(fed, 's3:DeleteObject', OBJ), 'implicitDeny')

# ---------------- Resource-policy grants ----------------
Q = f'arn:aws:sqs:us-east-1:{A}:orders'
def qpol(principal, sid='GrantSend', cond=None, effect='Allow'):
    return P(S(effect, 'sqs:SendMessage', Q, sid=sid, principal=principal, cond=cond))
add('resource-grant-user-arn-same-account',
    "Same-account SQS queue policy grants the IAM user ARN; no identity policy. A user-ARN grant is sufficient in the same account. Allowed.",
    SRC_EVAL, {"resource": qpol({"AWS": alice})}, R(alice, 'sqs:SendMessage', Q), 'allowed', matched=[M('resource', 'GrantSend')])
add('resource-grant-role-arn-request-by-role',
    "Same-account queue policy grants the role ARN; request principal given as the role ARN itself; no identity policy, no boundary, no session policy. Allowed.",
    SRC_EVAL, {"resource": qpol({"AWS": role})}, R(role, 'sqs:SendMessage', Q), 'allowed', matched=[M('resource', 'GrantSend')])
add('resource-grant-role-arn-request-by-session',
    "Same-account queue policy grants the role ARN; request by a session of that role (arn:aws:sts::111122223333:assumed-role/AppRole/app-session). The role ARN principal covers its sessions. Allowed.",
    SRC_EVAL, {"resource": qpol({"AWS": role})}, R(sess, 'sqs:SendMessage', Q), 'allowed', matched=[M('resource', 'GrantSend')])
add('resource-grant-session-arn',
    "Same-account queue policy grants the assumed-role session ARN directly. Allowed.",
    SRC_EVAL, {"resource": qpol({"AWS": sess})}, R(sess, 'sqs:SendMessage', Q), 'allowed', matched=[M('resource', 'GrantSend')])
add('resource-grant-session-arn-other-session',
    "Queue policy grants one session ARN (app-session); a different session of the same role (other-session) is not that principal, and the role has no identity Allow. Implicit deny.",
    SRC_PRIN, {"resource": qpol({"AWS": sess})}, R(f'arn:aws:sts::{A}:assumed-role/AppRole/other-session', 'sqs:SendMessage', Q), 'implicitDeny')
add('resource-grant-federated-user-arn',
    "Same-account queue policy grants the STS federated user ARN arn:aws:sts::111122223333:federated-user/fed-alice; session policy allows only dynamodb. A grant to the federated-user session is not limited by the session policy. Allowed.",
    SRC_EVAL, {"session": [P(S('Allow', 'dynamodb:*', '*', sid='SessionDdb'))], "resource": qpol({"AWS": fed})}, R(fed, 'sqs:SendMessage', Q), 'allowed')
add('resource-grant-wildcard-principal-principalarn-user',
    "Queue policy Principal \"*\" with ArnEquals aws:PrincipalArn = alice's user ARN (derived from the principal). Allowed.",
    SRC_EVAL + '; ' + SRC_GCK + '#condition-keys-principalarn', {"resource": qpol("*", cond={"ArnEquals": {"aws:PrincipalArn": alice}})}, R(alice, 'sqs:SendMessage', Q), 'allowed',
    matched=[M('resource', 'GrantSend')])
add('resource-grant-wildcard-principal-principalarn-role-for-session',
    "Queue policy Principal \"*\" with ArnLike aws:PrincipalArn = arn:aws:iam::111122223333:role/App*; for a role session aws:PrincipalArn is the ROLE ARN (not the session ARN). Allowed.",
    SRC_GCK + '#condition-keys-principalarn', {"resource": qpol("*", cond={"ArnLike": {"aws:PrincipalArn": f'arn:aws:iam::{A}:role/App*'}})}, R(sess, 'sqs:SendMessage', Q), 'allowed',
    matched=[M('resource', 'GrantSend')])
add('resource-grant-wildcard-principal-session-arn-condition-no-match',
    "Queue policy Principal \"*\" with ArnEquals aws:PrincipalArn = the assumed-role SESSION ARN: aws:PrincipalArn for a role session is the role ARN, so this never matches (the docs say not to specify the session ARN). No identity policy. Implicit deny.",
    SRC_GCK + '#condition-keys-principalarn', {"resource": qpol("*", cond={"ArnEquals": {"aws:PrincipalArn": sess}})}, R(sess, 'sqs:SendMessage', Q), 'implicitDeny')
add('resource-grant-wildcard-principal-same-account',
    "Queue policy Principal \"*\" without conditions grants everyone; same-account user without identity policy. Allowed.",
    SRC_PRIN, {"resource": qpol("*")}, R(alice, 'sqs:SendMessage', Q), 'allowed', matched=[M('resource', 'GrantSend')])
add('resource-grant-account-id-no-identity',
    "Account principal: the queue policy names \"AWS\": \"111122223333\". 'A resource-based policy that names an AWS account grants to the account, not directly to its users and roles: the account's identity-based policies must also allow the request.' No identity policy. Implicit deny.",
    SRC_PRIN + ' (AWS account principals)', {"resource": qpol({"AWS": A})}, R(alice, 'sqs:SendMessage', Q), 'implicitDeny')
add('resource-grant-account-id-with-identity',
    "Account principal \"AWS\": \"111122223333\" plus an identity policy allowing sqs:SendMessage. Allowed.",
    SRC_PRIN + ' (AWS account principals)', {"identity": [P(S('Allow', 'sqs:SendMessage', '*', sid='AllowSend'))], "resource": qpol({"AWS": A})},
    R(alice, 'sqs:SendMessage', Q), 'allowed', matched=[M('identity[0]', 'AllowSend'), M('resource', 'GrantSend')])
add('resource-grant-account-root-arn-no-identity',
    "Account principal written as arn:aws:iam::111122223333:root (same meaning as the bare account ID - it does not mean only the root user). No identity policy. Implicit deny.",
    SRC_PRIN + ' (AWS account principals)', {"resource": qpol({"AWS": root})}, R(alice, 'sqs:SendMessage', Q), 'implicitDeny')
add('resource-grant-account-root-arn-with-identity-session',
    "Account principal arn:aws:iam::111122223333:root and the role's identity policy allows; request by a role session. Allowed.",
    SRC_PRIN + ' (AWS account principals)', {"identity": [P(S('Allow', 'sqs:SendMessage', '*', sid='AllowSend'))], "resource": qpol({"AWS": root})},
    R(sess, 'sqs:SendMessage', Q), 'allowed', matched=[M('identity[0]', 'AllowSend'), M('resource', 'GrantSend')])
add('resource-grant-other-user-only',
    "Queue policy grants a different user (bob); alice has no identity policy. Implicit deny.",
    SRC_EVAL, {"resource": qpol({"AWS": f'arn:aws:iam::{A}:user/bob'})}, R(alice, 'sqs:SendMessage', Q), 'implicitDeny')
add('resource-policy-deny-overrides-identity-allow',
    "Queue policy explicitly denies alice; identity allows. Explicit deny.",
    SRC_EVAL, {"identity": [P(S('Allow', 'sqs:*', '*', sid='AllowSqs'))], "resource": qpol({"AWS": alice}, sid='DenyAlice', effect='Deny')},
    R(alice, 'sqs:SendMessage', Q), 'explicitDeny', matched=[M('resource', 'DenyAlice')])

# cross-account
XQ = f'arn:aws:sqs:us-east-1:{X}:partner-orders'
xalice = alice
def xq(principal, sid='GrantSend', effect='Allow', cond=None):
    return P(S(effect, 'sqs:SendMessage', XQ, sid=sid, principal=principal, cond=cond))
id_send = P(S('Allow', 'sqs:SendMessage', '*', sid='AllowSend'))
add('cross-account-both-sides-allow-account-grant',
    "Cross-account: queue in 444455556666 names account 111122223333; alice's identity policy allows sqs:SendMessage. 'The request is allowed only if both evaluations return a decision of Allow.' Allowed.",
    SRC_XA, {"identity": [id_send], "resource": xq({"AWS": A})}, R(alice, 'sqs:SendMessage', XQ), 'allowed',
    matched=[M('identity[0]', 'AllowSend'), M('resource', 'GrantSend')])
add('cross-account-account-grant-no-identity',
    "Cross-account: queue policy names account 111122223333 but alice has no identity-based Allow. Implicit deny.",
    SRC_XA, {"resource": xq({"AWS": A})}, R(alice, 'sqs:SendMessage', XQ), 'implicitDeny')
add('cross-account-user-arn-grant-no-identity',
    "Cross-account: even a grant naming alice's user ARN is not enough without an identity-based Allow in her own account (user-ARN exemption is for same-account requests only). Implicit deny.",
    SRC_XA, {"resource": xq({"AWS": alice})}, R(alice, 'sqs:SendMessage', XQ), 'implicitDeny')
add('cross-account-identity-only',
    "Cross-account: identity policy allows, but the queue in 444455556666 has no resource policy. Implicit deny.",
    SRC_XA, {"identity": [id_send]}, R(alice, 'sqs:SendMessage', XQ), 'implicitDeny')
add('cross-account-grant-to-other-account',
    "Cross-account: queue policy grants account 777788889999, not alice's account. Implicit deny.",
    SRC_XA, {"identity": [id_send], "resource": xq({"AWS": '777788889999'})}, R(alice, 'sqs:SendMessage', XQ), 'implicitDeny')
add('cross-account-role-arn-grant-session',
    "Cross-account: queue policy grants role AppRole of 111122223333; request by a session of that role whose identity policy allows. Allowed.",
    SRC_XA, {"identity": [id_send], "resource": xq({"AWS": role})}, R(sess, 'sqs:SendMessage', XQ), 'allowed',
    matched=[M('identity[0]', 'AllowSend'), M('resource', 'GrantSend')])
add('cross-account-wildcard-principal-needs-identity',
    "Cross-account: queue policy Principal \"*\"; alice has no identity-based Allow in 111122223333. Implicit deny.",
    SRC_XA, {"resource": xq("*")}, R(alice, 'sqs:SendMessage', XQ), 'implicitDeny')
add('cross-account-resource-deny',
    "Cross-account: identity allows and one queue statement allows the account, another denies alice's user ARN. Explicit deny.",
    SRC_XA, {"identity": [id_send], "resource": P(S('Allow', 'sqs:SendMessage', XQ, sid='GrantAccount', principal={"AWS": A}),
                                                   S('Deny', 'sqs:SendMessage', XQ, sid='DenyAlice', principal={"AWS": alice}))},
    R(alice, 'sqs:SendMessage', XQ), 'explicitDeny', matched=[M('resource', 'DenyAlice')])
add('cross-account-scp-of-caller-applies',
    "Cross-account: identity and resource policy allow, but the caller's account SCP denies sqs:SendMessage. SCPs limit the principal's account. Explicit deny.",
    SRC_XA + '; ' + SRC_SCP, {"identity": [id_send], "resource": xq({"AWS": A}),
                              "scp": [[P(S('Allow', '*', '*', sid='FullAWSAccess'), S('Deny', 'sqs:*', '*', sid='NoSqs'))]]},
    R(alice, 'sqs:SendMessage', XQ), 'explicitDeny')

# ---------------- Root ----------------
add('root-own-account-no-policies',
    "'By default, all requests are implicitly denied with the exception of the AWS account root user, which has full access.' Root of 111122223333 acting on its own bucket, no policies, no SCPs. Allowed.",
    SRC_EVAL, {}, R(root, 's3:GetObject', OBJ, resource_account=A), 'allowed')
add('root-own-account-iam-action',
    "Root user, own account, no policies: iam:CreateUser. Allowed (full access by default).",
    SRC_EVAL, {}, R(root, 'iam:CreateUser', f'arn:aws:iam::{A}:user/newuser'), 'allowed')
add('root-own-account-resource-policy-deny',
    "Root user, own bucket whose policy explicitly denies s3:DeleteBucket to Principal \"*\": an explicit deny applies to the root user as well. Explicit deny.",
    SRC_EVAL, {"resource": P(S('Deny', 's3:DeleteBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', sid='NoDelete', principal="*"))},
    R(root, 's3:DeleteBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', resource_account=A), 'explicitDeny', matched=[M('resource', 'NoDelete')])
add('root-cross-account-no-resource-policy',
    "Root of 111122223333 acting on a queue in 444455556666 with no resource policy: root's default full access covers only its own account. Implicit deny.",
    SRC_XA, {}, R(root, 'sqs:SendMessage', XQ), 'implicitDeny')
add('root-cross-account-account-grant',
    "Root of 111122223333 acting on a queue in 444455556666 whose policy names account 111122223333: the resource side allows, and on the caller's side the root user has full access. Allowed. (Judgement: root's implicit full access is treated as the identity-side Allow for an account-principal grant.)",
    SRC_XA + '; ' + SRC_PRIN, {"resource": xq({"AWS": A})}, R(root, 'sqs:SendMessage', XQ), 'allowed')

# ---------------- Anonymous ----------------
pub = P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='PublicRead', principal="*"))
add('anonymous-principal-star',
    "Anonymous request to a bucket whose policy allows s3:GetObject to Principal \"*\" (everyone, including anonymous users). Allowed.",
    SRC_PRIN + '#principal-anonymous', {"resource": pub}, R('anonymous', 's3:GetObject', OBJ, resource_account=A), 'allowed', matched=[M('resource', 'PublicRead')])
add('anonymous-principal-aws-star',
    "\"Principal\": {\"AWS\": \"*\"} is equivalent to \"Principal\": \"*\" for anonymous access. Allowed.",
    SRC_PRIN + '#principal-anonymous', {"resource": P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='PublicRead', principal={"AWS": "*"}))},
    R('anonymous', 's3:GetObject', OBJ, resource_account=A), 'allowed', matched=[M('resource', 'PublicRead')])
add('anonymous-no-resource-policy',
    "Anonymous request with no resource-based policy: nothing can allow an unauthenticated caller. Implicit deny.",
    SRC_PRIN + '#principal-anonymous', {}, R('anonymous', 's3:GetObject', OBJ, resource_account=A), 'implicitDeny')
add('anonymous-account-grant',
    "Anonymous request; the bucket policy grants only account 111122223333. Anonymous callers are not principals of that account. Implicit deny.",
    SRC_PRIN, {"resource": P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='GrantAccount', principal={"AWS": A}))},
    R('anonymous', 's3:GetObject', OBJ, resource_account=A), 'implicitDeny')
add('anonymous-principalarn-condition',
    "Anonymous request; Principal \"*\" with ArnLike aws:PrincipalArn arn:aws:iam::111122223333:*. aws:PrincipalArn is 'not in anonymous requests', so ArnLike on the missing key is false. Implicit deny.",
    SRC_GCK + '#condition-keys-principalarn', {"resource": P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='OrgOnly', principal="*", cond={"ArnLike": {"aws:PrincipalArn": f'arn:aws:iam::{A}:*'}}))},
    R('anonymous', 's3:GetObject', OBJ, resource_account=A), 'implicitDeny')
add('anonymous-explicit-deny',
    "Anonymous request; bucket policy allows Principal * but also denies Principal * when aws:SecureTransport is false; request over HTTP. Explicit deny.",
    SRC_PRIN, {"resource": P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='PublicRead', principal="*"),
                             S('Deny', 's3:*', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='TlsOnly', principal="*", cond={"Bool": {"aws:SecureTransport": "false"}}))},
    R('anonymous', 's3:GetObject', OBJ, resource_account=A, context=[C('aws:SecureTransport', 'boolean', 'false')]), 'explicitDeny', matched=[M('resource', 'TlsOnly')])
add('anonymous-principal-account-is-anonymous',
    "aws:PrincipalAccount is present in anonymous requests with value 'anonymous'; Principal * with StringEquals aws:PrincipalAccount = anonymous. Allowed.",
    SRC_GCK + '#condition-keys-principalaccount', {"resource": P(S('Allow', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='AnonOnly', principal="*", cond={"StringEquals": {"aws:PrincipalAccount": "anonymous"}}))},
    R('anonymous', 's3:GetObject', OBJ, resource_account=A), 'allowed', matched=[M('resource', 'AnonOnly')])

# ---------------- Service principals & trust policies ----------------
CRROLE = f'arn:aws:iam::{A}:role/service-role/cleanrooms-data-reader'
tr_cr = P(S('Allow', 'sts:AssumeRole', sid='TrustCleanRooms', principal={"Service": "cleanrooms.amazonaws.com"}))
add('service-principal-assume-role-trusted',
    "Service principal cleanrooms.amazonaws.com calls sts:AssumeRole on a role whose trust policy allows that service. Service principals have no identity policies; the trust policy is the grant. Allowed.",
    SRC_PRIN + ' (AWS service principals)', {"resource": tr_cr}, R({"service": "cleanrooms.amazonaws.com"}, 'sts:AssumeRole', CRROLE), 'allowed', matched=[M('resource', 'TrustCleanRooms')])
add('service-principal-not-trusted',
    "Service principal glue.amazonaws.com is not named in the trust policy (only cleanrooms.amazonaws.com). Implicit deny.",
    SRC_PRIN + ' (AWS service principals)', {"resource": tr_cr}, R({"service": "glue.amazonaws.com"}, 'sts:AssumeRole', CRROLE), 'implicitDeny')
add('service-principal-list',
    "Trust policy Principal {\"Service\": [cleanrooms.amazonaws.com, cleanrooms-ml.amazonaws.com]}: cleanrooms-ml.amazonaws.com is in the list. Allowed.",
    SRC_PRIN + ' (AWS service principals)', {"resource": P(S('Allow', 'sts:AssumeRole', sid='TrustBoth', principal={"Service": ["cleanrooms.amazonaws.com", "cleanrooms-ml.amazonaws.com"]}))},
    R({"service": "cleanrooms-ml.amazonaws.com"}, 'sts:AssumeRole', CRROLE), 'allowed', matched=[M('resource', 'TrustBoth')])
add('service-principal-trust-other-action',
    "Trust policy allows the service only sts:AssumeRole; sts:TagSession by the same service is not allowed. Implicit deny.",
    SRC_PRIN, {"resource": tr_cr}, R({"service": "cleanrooms.amazonaws.com"}, 'sts:TagSession', CRROLE), 'implicitDeny')
add('trust-identity-allow-alone-insufficient',
    "Trust policies 'must explicitly allow access for principals', even in the same account: alice's identity policy allows sts:AssumeRole on the role, but the trust policy only trusts cleanrooms.amazonaws.com. Implicit deny.",
    SRC_EVAL, {"identity": [P(S('Allow', 'sts:AssumeRole', CRROLE, sid='AllowAssume'))], "resource": tr_cr}, R(alice, 'sts:AssumeRole', CRROLE), 'implicitDeny')
ROLE2 = f'arn:aws:iam::{A}:role/AnalystRole'
add('trust-names-user-arn-same-account',
    "Same account: the trust policy names alice's user ARN; alice has no identity policy. A same-account resource-based grant to the IAM user ARN is not limited by an implicit deny in identity policies. Allowed. (Judgement: A4 row 1 applied to a trust policy.)",
    SRC_EVAL, {"resource": P(S('Allow', 'sts:AssumeRole', sid='TrustAlice', principal={"AWS": alice}))}, R(alice, 'sts:AssumeRole', ROLE2), 'allowed', matched=[M('resource', 'TrustAlice')])
add('trust-names-account-same-account-no-identity',
    "Same account: the trust policy names the account (arn:aws:iam::111122223333:root); alice has no identity-based Allow for sts:AssumeRole. An account-principal grant requires the identity policy to allow. Implicit deny.",
    SRC_PRIN + ' (AWS account principals)', {"resource": P(S('Allow', 'sts:AssumeRole', sid='TrustAccount', principal={"AWS": root}))}, R(alice, 'sts:AssumeRole', ROLE2), 'implicitDeny')
add('trust-names-account-same-account-with-identity',
    "Same account: trust policy names the account; alice's identity policy allows sts:AssumeRole on the role. Allowed.",
    SRC_PRIN + ' (AWS account principals)', {"identity": [P(S('Allow', 'sts:AssumeRole', ROLE2, sid='AllowAssume'))], "resource": P(S('Allow', 'sts:AssumeRole', sid='TrustAccount', principal={"AWS": root}))},
    R(alice, 'sts:AssumeRole', ROLE2), 'allowed', matched=[M('identity[0]', 'AllowAssume'), M('resource', 'TrustAccount')])
XROLE = f'arn:aws:iam::{X}:role/PartnerRole'
add('trust-cross-account-account-with-identity',
    "Cross-account role assumption: PartnerRole in 444455556666 trusts account 111122223333; alice's identity policy allows sts:AssumeRole on it. Allowed.",
    SRC_XA, {"identity": [P(S('Allow', 'sts:AssumeRole', XROLE, sid='AllowAssume'))], "resource": P(S('Allow', 'sts:AssumeRole', sid='TrustAccount', principal={"AWS": A}))},
    R(alice, 'sts:AssumeRole', XROLE), 'allowed', matched=[M('identity[0]', 'AllowAssume'), M('resource', 'TrustAccount')])
add('trust-cross-account-user-named-no-identity',
    "Cross-account: the trust policy names alice's user ARN but her account grants no identity-based Allow for sts:AssumeRole. Implicit deny.",
    SRC_XA, {"resource": P(S('Allow', 'sts:AssumeRole', sid='TrustAlice', principal={"AWS": alice}))}, R(alice, 'sts:AssumeRole', XROLE), 'implicitDeny')
ext = P(S('Allow', 'sts:AssumeRole', sid='TrustWithExternalId', principal={"AWS": A}, cond={"StringEquals": {"sts:ExternalId": "Unique-ID-1234"}}))
add('trust-external-id-present',
    "Cross-account trust with StringEquals sts:ExternalId = Unique-ID-1234; the caller passes that external ID and its identity policy allows. Allowed.",
    SRC_XA, {"identity": [P(S('Allow', 'sts:AssumeRole', XROLE, sid='AllowAssume'))], "resource": ext},
    R(alice, 'sts:AssumeRole', XROLE, context=[C('sts:ExternalId', 'string', 'Unique-ID-1234')]), 'allowed', matched=[M('identity[0]', 'AllowAssume'), M('resource', 'TrustWithExternalId')])
add('trust-external-id-absent',
    "Same trust policy; no sts:ExternalId in the request -> StringEquals on a missing key is false. Implicit deny.",
    SRC_XA, {"identity": [P(S('Allow', 'sts:AssumeRole', XROLE, sid='AllowAssume'))], "resource": ext},
    R(alice, 'sts:AssumeRole', XROLE), 'implicitDeny')
add('trust-deny-statement',
    "Trust policy allows account 111122223333 but denies alice explicitly. Explicit deny.",
    SRC_EVAL, {"identity": [P(S('Allow', 'sts:AssumeRole', XROLE, sid='AllowAssume'))],
               "resource": P(S('Allow', 'sts:AssumeRole', sid='TrustAccount', principal={"AWS": A}), S('Deny', 'sts:AssumeRole', sid='DenyAlice', principal={"AWS": alice}))},
    R(alice, 'sts:AssumeRole', XROLE), 'explicitDeny', matched=[M('resource', 'DenyAlice')])

# ---------------- NotPrincipal traps ----------------
SRC_NP = UG + 'reference_policies_elements_notprincipal.html'
XB = 'arn:aws:s3:::partner-bucket/report.csv'
add('notprincipal-account-only-still-denies-user',
    "NotPrincipal trap: bucket (owned by 111122223333) policy Deny s3:* NotPrincipal {AWS: arn:aws:iam::444455556666:root} plus Allow for account 444455556666. User Bob of 444455556666 is not the account principal itself; the page says to exempt a user you must list both the user ARN and the account ARN. Explicit deny. (Judgement: rule-derived from the NotPrincipal page.)",
    SRC_NP, {"identity": [id_s3], "resource": P(S('Deny', 's3:*', ['arn:aws:s3:::partner-bucket', 'arn:aws:s3:::partner-bucket/*'], sid='DenyOthers', notprincipal={"AWS": f'arn:aws:iam::{X}:root'}),
                                                 S('Allow', 's3:GetObject', 'arn:aws:s3:::partner-bucket/*', sid='GrantAccount', principal={"AWS": X}))},
    R(f'arn:aws:iam::{X}:user/Bob', 's3:GetObject', XB, resource_account=A), 'explicitDeny', matched=[M('resource', 'DenyOthers')])
add('notprincipal-role-arn-does-not-exempt-session',
    "NotPrincipal trap: Deny NotPrincipal lists the role ARN arn:aws:iam::444455556666:role/PartnerRole and account 444455556666, but not the session ARN. A session of that role is not exempt (the page requires the assumed-role session ARN; no wildcard for all sessions). Explicit deny.",
    SRC_NP, {"identity": [id_s3], "resource": P(S('Deny', 's3:*', ['arn:aws:s3:::partner-bucket', 'arn:aws:s3:::partner-bucket/*'], sid='DenyOthers',
                                                   notprincipal={"AWS": [XROLE, f'arn:aws:iam::{X}:root']}),
                                                 S('Allow', 's3:GetObject', 'arn:aws:s3:::partner-bucket/*', sid='GrantRole', principal={"AWS": XROLE}))},
    R(f'arn:aws:sts::{X}:assumed-role/PartnerRole/nightly', 's3:GetObject', XB, resource_account=A), 'explicitDeny', matched=[M('resource', 'DenyOthers')])
add('notprincipal-service-principal-exempt',
    "NotPrincipal with a service principal: Deny sqs:SendMessage NotPrincipal {Service: sns.amazonaws.com} plus Allow for that service; the SNS service principal is exempt and allowed. Allowed.",
    SRC_NP, {"resource": P(S('Deny', 'sqs:SendMessage', Q, sid='OnlySns', notprincipal={"Service": "sns.amazonaws.com"}),
                           S('Allow', 'sqs:SendMessage', Q, sid='AllowSns', principal={"Service": "sns.amazonaws.com"}))},
    R({"service": "sns.amazonaws.com"}, 'sqs:SendMessage', Q), 'allowed', matched=[M('resource', 'AllowSns')])
add('notprincipal-service-principal-others-denied',
    "Same queue policy; an IAM user of the queue's own account with an identity Allow is not the listed service principal, so the NotPrincipal Deny applies. Explicit deny.",
    SRC_NP, {"identity": [P(S('Allow', 'sqs:*', '*', sid='AllowSqs'))], "resource": P(S('Deny', 'sqs:SendMessage', Q, sid='OnlySns', notprincipal={"Service": "sns.amazonaws.com"}),
                                                                                   S('Allow', 'sqs:SendMessage', Q, sid='AllowSns', principal={"Service": "sns.amazonaws.com"}))},
    R(alice, 'sqs:SendMessage', Q), 'explicitDeny', matched=[M('resource', 'OnlySns')])

# ---------------- Derived principal keys ----------------
def idc(cond, sid='Cond'):
    return P(S('Allow', 's3:GetObject', '*', sid=sid, cond=cond))
add('derived-principalarn-session-is-role-arn',
    "Derived key: for an assumed-role session aws:PrincipalArn is the ROLE ARN arn:aws:iam::111122223333:role/AppRole. Identity policy ArnEquals aws:PrincipalArn = role ARN; no context supplied. Allowed.",
    SRC_GCK + '#condition-keys-principalarn', {"identity": [idc({"ArnEquals": {"aws:PrincipalArn": role}})]}, R(sess, 's3:GetObject', OBJ), 'allowed', matched=[M('identity[0]', 'Cond')])
add('derived-principalarn-session-not-session-arn',
    "Derived key: ArnEquals aws:PrincipalArn = the assumed-role session ARN never matches a role session (its aws:PrincipalArn is the role ARN). Implicit deny.",
    SRC_GCK + '#condition-keys-principalarn', {"identity": [idc({"ArnEquals": {"aws:PrincipalArn": sess}})]}, R(sess, 's3:GetObject', OBJ), 'implicitDeny')
add('derived-principalarn-user',
    "Derived key: for an IAM user aws:PrincipalArn is the user ARN. ArnEquals matches. Allowed.",
    SRC_GCK + '#condition-keys-principalarn', {"identity": [idc({"ArnEquals": {"aws:PrincipalArn": alice}})]}, R(alice, 's3:GetObject', OBJ), 'allowed', matched=[M('identity[0]', 'Cond')])
add('derived-principalarn-federated-user',
    "Derived key: for an STS federated user aws:PrincipalArn is arn:aws:sts::111122223333:federated-user/fed-alice (the session policy allows s3:*). Allowed.",
    SRC_GCK + '#condition-keys-principalarn', {"identity": [idc({"ArnEquals": {"aws:PrincipalArn": fed}})], "session": fed_session}, R(fed, 's3:GetObject', OBJ), 'allowed', matched=[M('identity[0]', 'Cond')])
add('derived-principalaccount-match',
    "Derived key: aws:PrincipalAccount is the account of the principal (111122223333). StringEquals matches. Allowed.",
    SRC_GCK + '#condition-keys-principalaccount', {"identity": [idc({"StringEquals": {"aws:PrincipalAccount": A}})]}, R(sess, 's3:GetObject', OBJ), 'allowed', matched=[M('identity[0]', 'Cond')])
add('derived-principalaccount-mismatch',
    "Derived key: StringEquals aws:PrincipalAccount = 444455556666 for a principal of 111122223333. Implicit deny.",
    SRC_GCK + '#condition-keys-principalaccount', {"identity": [idc({"StringEquals": {"aws:PrincipalAccount": X}})]}, R(alice, 's3:GetObject', OBJ), 'implicitDeny')
add('derived-given-context-entry-wins',
    "Case-format rule: derived keys are derived 'when not given; a given entry wins'. Context supplies aws:PrincipalAccount = 444455556666 for alice; the policy requires 444455556666. Allowed.",
    'case-format.md (request.context)', {"identity": [idc({"StringEquals": {"aws:PrincipalAccount": X}})]},
    R(alice, 's3:GetObject', OBJ, context=[C('aws:PrincipalAccount', 'string', X)]), 'allowed', matched=[M('identity[0]', 'Cond')])
add('derived-username-absent-for-role-session',
    "Derived key: aws:username is 'NOT present for ... IAM roles'. StringEquals aws:username = app-session for a role session -> missing key -> false. Implicit deny.",
    SRC_GCK + '#condition-keys-username', {"identity": [idc({"StringEquals": {"aws:username": "app-session"}})]}, R(sess, 's3:GetObject', OBJ), 'implicitDeny')
add('derived-username-user',
    "Derived key: aws:username for IAM user alice is 'alice'. Allowed.",
    SRC_GCK + '#condition-keys-username', {"identity": [idc({"StringEquals": {"aws:username": "alice"}})]}, R(alice, 's3:GetObject', OBJ), 'allowed', matched=[M('identity[0]', 'Cond')])
for name, p, val in [('user', alice, 'User'), ('assumed-role', sess, 'AssumedRole'), ('federated-user', fed, 'FederatedUser')]:
    pols = {"identity": [idc({"StringEquals": {"aws:PrincipalType": val}})]}
    if p == fed:
        pols["session"] = fed_session
    add(f'derived-principaltype-{name}',
        f"Derived key: aws:PrincipalType for this principal is '{val}' (principal key values table). StringEquals matches. Allowed.",
        SRC_GCK + '#condition-keys-principaltype', pols, R(p, 's3:GetObject', OBJ), 'allowed', matched=[M('identity[0]', 'Cond')])
add('derived-principaltype-user-not-assumed-role',
    "Derived key: an IAM user's aws:PrincipalType is 'User', so StringEquals aws:PrincipalType = AssumedRole fails. Implicit deny.",
    SRC_GCK + '#condition-keys-principaltype', {"identity": [idc({"StringEquals": {"aws:PrincipalType": "AssumedRole"}})]}, R(alice, 's3:GetObject', OBJ), 'implicitDeny')
add('derived-principaltype-root-account',
    "Derived key: for the root user aws:PrincipalType is 'Account'. Bucket policy Deny Principal * when aws:PrincipalType = Account blocks root use of the bucket. Explicit deny.",
    SRC_GCK + '#condition-keys-principaltype', {"resource": P(S('Deny', 's3:*', ['arn:aws:s3:::amzn-s3-demo-bucket', 'arn:aws:s3:::amzn-s3-demo-bucket/*'], sid='NoRoot', principal="*", cond={"StringEquals": {"aws:PrincipalType": "Account"}}))},
    R(root, 's3:GetObject', OBJ, resource_account=A), 'explicitDeny', matched=[M('resource', 'NoRoot')])
add('derived-userid-federated-user',
    "Derived key: aws:userid for an STS federated user is 'account:caller-specified-name' = 111122223333:fed-alice (the session policy allows s3:*). Allowed.",
    SRC_GCK + '#condition-keys-userid', {"identity": [idc({"StringEquals": {"aws:userid": f"{A}:fed-alice"}})], "session": fed_session}, R(fed, 's3:GetObject', OBJ), 'allowed', matched=[M('identity[0]', 'Cond')])
add('derived-userid-root-is-account-id',
    "Derived key: aws:userid for the root user is the account ID. Bucket policy Deny Principal * when aws:userid = 111122223333. Explicit deny.",
    SRC_GCK + '#condition-keys-userid', {"resource": P(S('Deny', 's3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*', sid='NoRootById', principal="*", cond={"StringEquals": {"aws:userid": A}}))},
    R(root, 's3:GetObject', OBJ, resource_account=A), 'explicitDeny', matched=[M('resource', 'NoRootById')])
write(T, cases)
