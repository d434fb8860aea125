from lib import *
from seeds import S1
T = 'cleanrooms-cross-account'
cases = []
def add(suffix, *a, **k):
    cases.append(case(T + '-' + suffix, *a, **k))
A = '111122223333'; B = '444455556666'
SRC = SEED1 + ': IAM behaviors for AWS Clean Rooms ML - Cross-account jobs; ' + SEED2 + ': Cross-account jobs'
rp_txt = S1[2][1]
rp = json.loads(rp_txt)
assert rp['Statement'][0]['Sid'] == 'Clean-Rooms-CAMA-ID'
SID = 'Clean-Rooms-CAMA-ID'
CAM = f'arn:aws:cleanrooms-ml:us-east-1:{B}:configured-audience-model/id'
JOBID = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE77777'
JOB_B = f'arn:aws:cleanrooms-ml:us-east-1:{B}:audience-generation-job/{JOBID}'
JOB_A = f'arn:aws:cleanrooms-ml:us-east-1:{A}:audience-generation-job/{JOBID}'
ACT = 'cleanrooms-ml:StartAudienceGenerationJob'
caller = f'arn:aws:iam::{A}:role/Analyst'
csess = f'arn:aws:sts::{A}:assumed-role/Analyst/audience-job'
COL = [C('cleanrooms-ml:CollaborationId', 'string', 'UUID')]
# identity policies
ID_ALL3 = P(S('Allow', ACT, [f'arn:aws:cleanrooms-ml:us-east-1:{A}:audience-generation-job/*', CAM, f'arn:aws:cleanrooms-ml:us-east-1:{B}:audience-generation-job/*'], sid='StartJobs'))
ID_STAR = P(S('Allow', ACT, '*', sid='StartJobsAnywhere'))
ID_OWN = P(S('Allow', ACT, f'arn:aws:cleanrooms-ml:us-east-1:{A}:audience-generation-job/*', sid='StartOwnJobs'))
NOTE = (" The owner's resource policy is the seed 001 policy (exact text, valid JSON): Allow Principal {AWS: [\"111122223333\"]} cleanrooms-ml:StartAudienceGenerationJob on "
        "[arn:aws:cleanrooms-ml:us-east-1:444455556666:configured-audience-model/id, arn:aws:cleanrooms-ml:us-east-1:444455556666:audience-generation-job/*] with StringEquals cleanrooms-ml:CollaborationId = UUID "
        "(the seed's literal placeholders 'id' and 'UUID' are used as-is).")
ACCT_RULE = " The policy names an AWS account, which grants to the account, not directly to its roles: the caller's identity policy must also allow (and cross-account both sides must allow)."
# --- the three resources, happy path ---
add('cam-resource-allowed',
    "Cross-account StartAudienceGenerationJob, resource 1 of 3: the configured audience model owned by 444455556666. Caller role Analyst in 111122223333 has an identity policy allowing the action on all three resources; the owner's resource policy allows account 111122223333 with the matching collaboration id. Both accounts allow. Allowed." + NOTE,
    SRC, {"identity": [ID_ALL3], "resource": rp_txt}, R(caller, ACT, CAM, context=COL), 'allowed', matched=[M('identity[0]', 'StartJobs'), M('resource', SID)])
add('owner-job-resource-allowed',
    "Cross-account StartAudienceGenerationJob, resource 2 of 3: the new job's ARN in the owner account 444455556666 ('AWS account B must allow that action on both the new job in AWS account B and the ConfiguredAudienceModel'). Identity and resource policy both allow. Allowed." + NOTE,
    SRC, {"identity": [ID_ALL3], "resource": rp_txt}, R(caller, ACT, JOB_B, context=COL), 'allowed', matched=[M('identity[0]', 'StartJobs'), M('resource', SID)])
add('caller-job-resource-allowed',
    "Cross-account StartAudienceGenerationJob, resource 3 of 3: the job ARN in the caller's own account 111122223333 ('the identity policy of the caller in AWS account A needs StartAudienceGenerationJob permission on arn:aws:cleanrooms-ml:...:AccountA:audience-generation-job/*'). Same-account resource, no resource policy applies; the identity policy allows. Allowed.",
    SRC, {"identity": [ID_ALL3]}, R(caller, ACT, JOB_A, context=COL), 'allowed', matched=[M('identity[0]', 'StartJobs')])
add('caller-job-resource-own-job-policy-only',
    "Resource 3 with the minimal identity policy the seed describes (StartAudienceGenerationJob on the caller's own audience-generation-job/* only). Allowed.",
    SRC, {"identity": [ID_OWN]}, R(caller, ACT, JOB_A, context=COL), 'allowed', matched=[M('identity[0]', 'StartOwnJobs')])
add('cam-resource-identity-star-allowed',
    "Resource 1 with a caller identity policy on Resource \"*\"; owner resource policy allows. Allowed." + NOTE,
    SRC, {"identity": [ID_STAR], "resource": rp_txt}, R(caller, ACT, CAM, context=COL), 'allowed', matched=[M('identity[0]', 'StartJobsAnywhere'), M('resource', SID)])
add('cam-resource-role-session-caller-allowed',
    "Resource 1 requested by a session of the caller role (arn:aws:sts::111122223333:assumed-role/Analyst/audience-job); the account grant covers principals of 111122223333. Allowed." + NOTE,
    SRC, {"identity": [ID_ALL3], "resource": rp_txt}, R(csess, ACT, CAM, context=COL), 'allowed', matched=[M('identity[0]', 'StartJobs'), M('resource', SID)])
# --- collaboration id ---
add('cam-resource-collaboration-id-mismatch',
    "Resource 1 with cleanrooms-ml:CollaborationId = another collaboration: the resource policy's StringEquals fails, so the owner account does not allow. Implicit deny." + NOTE,
    SRC, {"identity": [ID_ALL3], "resource": rp_txt}, R(caller, ACT, CAM, context=[C('cleanrooms-ml:CollaborationId', 'string', 'b2c3d4e5-6789-01bc-defa-EXAMPLE22222')]), 'implicitDeny')
add('cam-resource-collaboration-id-absent',
    "Resource 1 without cleanrooms-ml:CollaborationId in the request: 'this condition key will be set in the resource policy. Therefore, you must specify the collaborationId'. StringEquals on a missing key is false. Implicit deny." + NOTE,
    SRC, {"identity": [ID_ALL3], "resource": rp_txt}, R(caller, ACT, CAM), 'implicitDeny')
add('cam-resource-collaboration-id-case',
    "Resource 1 with cleanrooms-ml:CollaborationId = 'uuid' (lower case): StringEquals is case-sensitive. Implicit deny." + NOTE,
    SRC, {"identity": [ID_ALL3], "resource": rp_txt}, R(caller, ACT, CAM, context=[C('cleanrooms-ml:CollaborationId', 'string', 'uuid')]), 'implicitDeny')
add('owner-job-resource-collaboration-id-mismatch',
    "Resource 2 (owner's job ARN) with the wrong collaboration id. Implicit deny." + NOTE,
    SRC, {"identity": [ID_ALL3], "resource": rp_txt}, R(caller, ACT, JOB_B, context=[C('cleanrooms-ml:CollaborationId', 'string', 'b2c3d4e5-6789-01bc-defa-EXAMPLE22222')]), 'implicitDeny')
rp_nocond = json.loads(rp_txt); del rp_nocond['Statement'][0]['Condition']
add('cam-resource-policy-without-collaboration-condition',
    "Variant of the owner's policy without the (seed 002: 'optional - always set by AWS Clean Rooms') CollaborationId condition: no collaboration id needed. Allowed." + ACCT_RULE,
    SRC, {"identity": [ID_ALL3], "resource": rp_nocond}, R(caller, ACT, CAM), 'allowed', matched=[M('identity[0]', 'StartJobs'), M('resource', SID)])
# --- missing allows ---
add('cam-resource-no-identity-allow',
    "Resource 1: the owner's resource policy allows account 111122223333 but the caller role has no identity-based Allow." + ACCT_RULE + " Implicit deny." + NOTE,
    SRC, {"resource": rp_txt}, R(caller, ACT, CAM, context=COL), 'implicitDeny')
add('owner-job-resource-no-identity-allow',
    "Resource 2: the owner allows, but the caller has no identity-based Allow." + ACCT_RULE + " Implicit deny." + NOTE,
    SRC, {"resource": rp_txt}, R(caller, ACT, JOB_B, context=COL), 'implicitDeny')
add('cam-resource-identity-only-own-job',
    "Resource 1 with an identity policy that allows the action only on the caller's own job ARNs (the one identity permission seed 002 names explicitly). Because the owner's policy grants to the account, the caller account's identity policy must also allow on the configured audience model ARN; it does not. Implicit deny. (Judgement call: seed 002 mentions only the account-A job permission; standard cross-account rules require the caller's identity policy to allow each cross-account resource.)" + NOTE,
    SRC, {"identity": [ID_OWN], "resource": rp_txt}, R(caller, ACT, CAM, context=COL), 'implicitDeny')
add('cam-resource-no-resource-policy',
    "Resource 1 without any resource policy on the configured audience model: the caller's identity policy allows, but the owner account 444455556666 does not. Implicit deny.",
    SRC, {"identity": [ID_ALL3]}, R(caller, ACT, CAM, context=COL), 'implicitDeny')
add('owner-job-resource-no-resource-policy',
    "Resource 2 without a resource policy: the owner must allow the action on its job ARN too. Implicit deny.",
    SRC, {"identity": [ID_ALL3]}, R(caller, ACT, JOB_B, context=COL), 'implicitDeny')
add('cam-resource-other-model-id',
    "A configured audience model not listed in the owner's policy (configured-audience-model/other-id). Implicit deny." + NOTE,
    SRC, {"identity": [ID_STAR], "resource": rp_txt}, R(caller, ACT, f'arn:aws:cleanrooms-ml:us-east-1:{B}:configured-audience-model/other-id', context=COL), 'implicitDeny')
add('cam-resource-other-region',
    "The same model id in us-west-2 is a different ARN, not listed in the owner's policy (us-east-1). Implicit deny." + NOTE,
    SRC, {"identity": [ID_STAR], "resource": rp_txt}, R(caller, ACT, f'arn:aws:cleanrooms-ml:us-west-2:{B}:configured-audience-model/id', context=COL), 'implicitDeny')
add('cam-resource-other-caller-account',
    "A caller from account 777788889999 (not named in the owner's policy) with an identity Allow. Implicit deny." + NOTE,
    SRC, {"identity": [ID_STAR], "resource": rp_txt}, R('arn:aws:iam::777788889999:role/Analyst', ACT, CAM, context=COL), 'implicitDeny')
add('cam-resource-other-action',
    "Only StartAudienceGenerationJob can be called across accounts: cleanrooms-ml:GetConfiguredAudienceModel on the owner's model is not granted by the owner's policy (caller identity allows cleanrooms-ml:*). Implicit deny." + NOTE,
    SRC, {"identity": [P(S('Allow', 'cleanrooms-ml:*', '*', sid='AllMl'))], "resource": rp_txt}, R(caller, 'cleanrooms-ml:GetConfiguredAudienceModel', CAM, context=COL), 'implicitDeny')
# --- naming variants ---
def rp_with(principal):
    p = json.loads(rp_txt); p['Statement'][0]['Principal'] = principal; return p
add('cam-resource-policy-names-account-root-arn',
    "Owner's policy variant naming the account as arn:aws:iam::111122223333:root (equivalent to the bare account id). Identity allows. Allowed." + ACCT_RULE,
    SRC + '; ' + UG + 'reference_policies_elements_principal.html (AWS account principals)', {"identity": [ID_ALL3], "resource": rp_with({"AWS": [f'arn:aws:iam::{A}:root']})},
    R(caller, ACT, CAM, context=COL), 'allowed', matched=[M('identity[0]', 'StartJobs'), M('resource', SID)])
add('cam-resource-policy-names-account-root-arn-no-identity',
    "Owner's policy naming arn:aws:iam::111122223333:root, caller without identity Allow." + ACCT_RULE + " Implicit deny.",
    SRC + '; ' + UG + 'reference_policies_elements_principal.html (AWS account principals)', {"resource": rp_with({"AWS": [f'arn:aws:iam::{A}:root']})},
    R(caller, ACT, CAM, context=COL), 'implicitDeny')
add('cam-resource-policy-names-caller-role',
    "Owner's policy variant naming the caller role ARN arn:aws:iam::111122223333:role/Analyst directly; identity allows. Allowed.",
    SRC, {"identity": [ID_ALL3], "resource": rp_with({"AWS": caller})}, R(caller, ACT, CAM, context=COL), 'allowed', matched=[M('identity[0]', 'StartJobs'), M('resource', SID)])
add('cam-resource-policy-names-caller-role-no-identity',
    "Owner's policy naming the caller role ARN, but no identity Allow: cross-account requests need an Allow in the caller's account even when the role is named. Implicit deny.",
    SRC + '; ' + UG + 'reference_policies_evaluation-logic-cross-account.html', {"resource": rp_with({"AWS": caller})}, R(caller, ACT, CAM, context=COL), 'implicitDeny')
add('cam-resource-policy-names-other-role',
    "Owner's policy naming a different role (role/DataScientist) of 111122223333; the Analyst role is not covered. Implicit deny.",
    SRC, {"identity": [ID_ALL3], "resource": rp_with({"AWS": f'arn:aws:iam::{A}:role/DataScientist'})}, R(caller, ACT, CAM, context=COL), 'implicitDeny')
# --- other limits ---
add('cam-resource-caller-session-policy-own-job-only',
    "Caller session created with a session policy that allows the action only on the caller's own job ARNs: for resource 1 the session policy does not allow; the grant is to the account, so the session policy limits it. Implicit deny." + NOTE,
    SRC + '; ' + UG + 'access_policies.html#policies_session', {"identity": [ID_ALL3], "session": [ID_OWN], "resource": rp_txt}, R(csess, ACT, CAM, context=COL), 'implicitDeny')
add('cam-resource-caller-scp-deny',
    "An SCP on the caller's account denies cleanrooms-ml:StartAudienceGenerationJob. 'Both accounts can ... apply policies from their AWS organization.' Explicit deny." + NOTE,
    SRC, {"identity": [ID_ALL3], "resource": rp_txt, "scp": [[P(S('Allow', '*', '*', sid='FullAWSAccess'), S('Deny', ACT, '*', sid='NoAudienceJobs'))]]},
    R(caller, ACT, CAM, context=COL), 'explicitDeny')
add('cam-resource-identity-explicit-deny-by-tag',
    "Caller identity policy allows the action but a second statement denies it unless aws:RequestTag/project = lookalike is sent; no tag in the request (negated operator on a missing key is true). Explicit deny." + NOTE,
    SRC, {"identity": [P(S('Allow', ACT, '*', sid='StartJobsAnywhere'), S('Deny', ACT, '*', sid='RequireProjectTag', cond={"StringNotEquals": {"aws:RequestTag/project": "lookalike"}}))], "resource": rp_txt},
    R(caller, ACT, CAM, context=COL), 'explicitDeny', matched=[M('identity[0]', 'RequireProjectTag')])
rp_deny = json.loads(rp_txt)
rp_deny['Statement'].append(S('Deny', ACT, CAM, sid='BlockCaller', principal={"AWS": caller}))
add('cam-resource-owner-explicit-deny',
    "Owner's policy with an added Deny for the caller role on the configured audience model: an explicit deny in the resource account's policy overrides. Explicit deny.",
    SRC, {"identity": [ID_ALL3], "resource": rp_deny}, R(caller, ACT, CAM, context=COL), 'explicitDeny', matched=[M('resource', 'BlockCaller')])
# --- cross-account job access ---
owner_role = f'arn:aws:iam::{B}:role/ModelOwner'
add('owner-cannot-use-callers-job-arn',
    "'Neither AWS account can access the job when using an ARN with the other AWS account ID.' The owner's role (444455556666) calls cleanrooms-ml:GetAudienceGenerationJob on the caller-account job ARN; its identity policy allows cleanrooms-ml:* on *, but there is no resource policy in 111122223333. Implicit deny.",
    SRC, {"identity": [P(S('Allow', 'cleanrooms-ml:*', '*', sid='AllMl'))]}, R(owner_role, 'cleanrooms-ml:GetAudienceGenerationJob', JOB_A), 'implicitDeny')
add('owner-uses-own-job-arn',
    "'Both accounts can call the Get, Delete, and Export APIs on the job using the ARN with their own AWS account ID.' The owner calls cleanrooms-ml:GetAudienceGenerationJob on its own job ARN with an identity Allow. Allowed.",
    SRC, {"identity": [P(S('Allow', 'cleanrooms-ml:*', '*', sid='AllMl'))]}, R(owner_role, 'cleanrooms-ml:GetAudienceGenerationJob', JOB_B), 'allowed', matched=[M('identity[0]', 'AllMl')])
add('caller-delete-own-job-arn',
    "The caller deletes the job through its own-account ARN with an identity Allow for cleanrooms-ml:DeleteAudienceGenerationJob. Allowed.",
    SRC, {"identity": [P(S('Allow', 'cleanrooms-ml:DeleteAudienceGenerationJob', f'arn:aws:cleanrooms-ml:us-east-1:{A}:audience-generation-job/*', sid='DeleteOwnJobs'))]},
    R(caller, 'cleanrooms-ml:DeleteAudienceGenerationJob', JOB_A), 'allowed', matched=[M('identity[0]', 'DeleteOwnJobs')])
add('caller-delete-owner-job-arn',
    "The caller tries cleanrooms-ml:DeleteAudienceGenerationJob on the owner-account job ARN: the owner's resource policy grants only StartAudienceGenerationJob. Implicit deny." + NOTE,
    SRC, {"identity": [P(S('Allow', 'cleanrooms-ml:*', '*', sid='AllMl'))], "resource": rp_txt}, R(caller, 'cleanrooms-ml:DeleteAudienceGenerationJob', JOB_B), 'implicitDeny')
write(T, cases)
