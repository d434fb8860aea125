from lib import *
import copy
T = 'docs-conditions'
cases = []
ex = json.load(open('/work/shared/reference/condition-examples.json'))
TYPES = {
    'aws:tagkeys': 'stringList', 'aws:resourceorgpaths': 'stringList', 'dynamodb:attributes': 'stringList',
    'logs:loggeneratingresourcearns': 'stringList', 'aws:securetransport': 'boolean', 'aws:sourceip': 'ip',
    'example:binarykey': 'binary',
}
def ctype(k):
    return TYPES.get(k.lower(), 'string')
BIN = 'example:BinaryKey'
CF_FIX = lambda v: v.replace('arn:aws::cloudfront:', 'arn:aws:cloudfront::')

def rename_cond(cond, f):
    return {op: {f(k): v for k, v in kv.items()} for op, kv in cond.items()}

def fix_vals(cond, f):
    out = {}
    for op, kv in cond.items():
        out[op] = {}
        for k, v in kv.items():
            out[op][k] = [f(x) for x in v] if isinstance(v, list) else f(v)
    return out

U = 'arn:aws:iam::111122223333:user/'
cfg = {
 'ops-string-1': dict(action='iam:CreateAccessKey', resource='arn:aws:iam::111122223333:user/bob', principal=U + 'jane-admin',
                      doc_policy=True, what="StringEquals aws:PrincipalTag/job-category = iamuser-admin (Allow iam:*AccessKey* on arn:aws:iam::111122223333:user/*)"),
 'ops-string-variable': dict(action='s3:ListBucket', resource='arn:aws:s3:::amzn-s3-demo-bucket',
                      stmt=lambda c: S('Allow', 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', sid='AllowHomePrefix', cond=c),
                      what="StringLike s3:prefix [home/, home/${aws:username}/] on s3:ListBucket"),
 'ops-string-forany-ignorecase': dict(action='ec2:CreateTags', resource='arn:aws:ec2:us-east-1:111122223333:instance/i-1234567890abcdef0',
                      principal=U + 'alice', stmt=lambda c: S('Allow', 'ec2:CreateTags', 'arn:aws:ec2:*:*:instance/*', sid='AllowEnvTag', cond=c),
                      what="StringEqualsIgnoreCase aws:RequestTag/environment [preprod, storage] AND ForAnyValue:StringEquals aws:TagKeys environment"),
 'ops-wildcard-resourceorgpaths': dict(action='s3:GetObject', resource='arn:aws:s3:::amzn-s3-demo-bucket/report.csv', principal=U + 'alice',
                      stmt=lambda c: S('Deny', 's3:*', '*', sid='DenyS3AccessOutsideMyBoundary', cond=c), allow=S('Allow', 's3:*', '*', sid='AllowS3'),
                      what="Deny s3:* with ForAllValues:StringNotLike aws:ResourceOrgPaths [o-acorg/r-acroot/ou-acroot-mediaou/, o-acorg/r-acroot/ou-acroot-sportsou/*]"),
 'ops-bool': dict(action='s3:ReplicateObject', resource='arn:aws:s3:::amzn-s3-demo-bucket/object.txt', principal=U + 'alice',
                      stmt=lambda c: S('Deny', 's3:ReplicateObject', ['arn:aws:s3:::amzn-s3-demo-bucket', 'arn:aws:s3:::amzn-s3-demo-bucket/*'], sid='DenyInsecureTransport', cond=c),
                      allow=S('Allow', 's3:ReplicateObject', ['arn:aws:s3:::amzn-s3-demo-bucket', 'arn:aws:s3:::amzn-s3-demo-bucket/*'], sid='AllowReplicate'),
                      what="Deny s3:ReplicateObject with Bool aws:SecureTransport = false"),
 'ops-binary': dict(action='s3:GetObject', resource='arn:aws:s3:::amzn-s3-demo-bucket/object.txt', principal=U + 'alice',
                      stmt=lambda c: S('Allow', 's3:GetObject', '*', sid='AllowBinaryMatch', cond=c),
                      rename=lambda k: BIN if k == 'key' else k,
                      what="BinaryEquals <key> = QmluYXJ5VmFsdWVJbkJhc2U2NA== (the page's statement has no effect/action; an Allow s3:GetObject statement is used, and the page's placeholder key name 'key' is renamed example:BinaryKey because the simulator requires key names of 5-256 characters)"),
 'ops-ip': dict(action='iam:CreateAccessKey', resource='arn:aws:iam::111122223333:user/bob', principal=U + 'alice',
                      stmt=lambda c: S('Allow', 'iam:*AccessKey*', 'arn:aws:iam::111122223333:user/*', sid='AllowFromCorpNet', cond=c),
                      what="IpAddress aws:SourceIp 203.0.113.0/24"),
 'ops-arn': dict(action='sqs:SendMessage', resource='arn:aws:sqs:us-west-2:123456789012:QUEUE-ID', principal={"service": "sns.amazonaws.com"},
                      resource_policy=lambda c: S('Allow', 'SQS:SendMessage', 'arn:aws:sqs:us-west-2:123456789012:QUEUE-ID', sid='AllowTopic', cond=c, principal={"Service": "sns.amazonaws.com"}),
                      what="queue policy granting the sns.amazonaws.com service principal SQS:SendMessage with ArnEquals aws:SourceArn = the topic ARN"),
 'ops-forall-arnlike': dict(action='logs:PutDeliverySource', resource='arn:aws:logs:us-east-1:123456789012:delivery-source:cf-logs',
                      principal='arn:aws:iam::123456789012:user/log-admin', valfix=CF_FIX,
                      stmt=lambda c: S('Allow', 'logs:PutDeliverySource', 'arn:aws:logs:us-east-1:123456789012:delivery-source:*', sid='AllowCloudFrontSources', cond=c),
                      what="ForAllValues:ArnLike logs:LogGeneratingResourceArns [arn:aws:cloudfront::123456789012:distribution/*, arn:aws:cloudfront::123456789012:distribution/support*] (ARNs written in the page's JSON-policy form arn:aws:cloudfront::ACCOUNT:...; the table's arn:aws::cloudfront:ACCOUNT:... form was normalised in both policy and context; action logs:PutDeliverySource chosen because the SAR lists this key for it)"),
 'ops-ifexists': dict(action='ec2:RunInstances', resource='arn:aws:ec2:us-east-1:111122223333:instance/i-0abcd1234ef567890', principal=U + 'alice',
                      stmt=lambda c: S('Allow', 'ec2:RunInstances', 'arn:aws:ec2:*:*:instance/*', sid='AllowSmallInstances', cond=c),
                      what="StringLikeIfExists ec2:InstanceType [t1.*, t2.*, m3.*]"),
 'logic-multi-keys': dict(action='s3:ListBucket', resource='arn:aws:s3:::amzn-s3-demo-bucket', resource_account='111122223333', crossacct=True,
                      resource_policy=lambda c: S('Allow', 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', sid='AllowListBucket', cond=c, principal={"AWS": "arn:aws:iam::222222222222:root"}),
                      what="bucket policy (Principal account 222222222222) with StringEquals aws:PrincipalTag/department [finance, hr, legal] AND aws:PrincipalTag/role [audit, security], AND ArnLike aws:PrincipalArn [user/Ana, user/Mary]"),
 'logic-negated-nor': dict(action='s3:ListBucket', resource='arn:aws:s3:::amzn-s3-demo-bucket', resource_account='111122223333', crossacct=True,
                      resource_policy=lambda c: S('Allow', 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', sid='AllowListBucket', cond=c, principal={"AWS": "arn:aws:iam::222222222222:root"}),
                      what="bucket policy (Principal account 222222222222) with StringEquals department/role tags AND ArnNotLike aws:PrincipalArn [user/Ana, user/Mary] (negated operator with several values = NOR)"),
 'single-ecs': dict(action='ecs:RunTask', resource='arn:aws:ecs:us-east-1:111122223333:task-definition/web:1', principal=U + 'alice',
                      stmt=lambda c: S('Allow', ['ecs:RunTask', 'ecs:StartTask'], '*', sid='AllowProdClusters', cond=c),
                      what="StringEquals aws:RequestTag/environment [production, prod-backup] AND ArnEquals ecs:cluster [cluster/default1, cluster/default2]"),
 'multi-forall-notlike-1': dict(action='iam:TagRole', resource='arn:aws:iam::111122223333:role/examplerole', principal=U + 'alice',
                      stmt=lambda c: S('Deny', ['iam:Tag*', 'iam:UnTag*'], '*', sid='DenyOtherTagKeys', cond=c), allow=S('Allow', ['iam:Tag*', 'iam:UnTag*'], '*', sid='AllowTagging'),
                      what="Deny iam:Tag*/iam:UnTag* with ForAllValues:StringNotLike aws:TagKeys key1*"),
 'multi-forall-notlike-2': dict(action='iam:TagRole', resource='arn:aws:iam::111122223333:role/examplerole', principal=U + 'alice',
                      stmt=lambda c: S('Deny', ['iam:Tag*', 'iam:UnTag*'], '*', sid='DenyOtherTagKeys', cond=c), allow=S('Allow', ['iam:Tag*', 'iam:UnTag*'], '*', sid='AllowTagging'),
                      what="Deny iam:Tag*/iam:UnTag* with ForAllValues:StringNotLike aws:TagKeys [key1*, key2*]"),
 'multi-forany-deny': dict(action='ec2:CreateSnapshot', resource='arn:aws:ec2:us-west-2::snapshot/snap-0123456789abcdef0', principal=U + 'alice',
                      stmt=lambda c: S('Deny', ['ec2:CreateSnapshot', 'ec2:CreateSnapshots'], 'arn:aws:ec2:us-west-2::snapshot/*', sid='DenyWebserverTag', cond=c),
                      allow=S('Allow', ['ec2:CreateSnapshot', 'ec2:CreateSnapshots'], 'arn:aws:ec2:us-west-2::snapshot/*', sid='AllowSnapshots'),
                      what="Deny ec2:CreateSnapshot(s) with ForAnyValue:StringEquals aws:TagKeys webserver"),
 'svm-forall-null': dict(action='ec2:DeleteTags', resource='arn:aws:ec2:us-east-1:111122223333:instance/i-0abcd1234ef567890', principal=U + 'alice',
                      stmt=lambda c: S('Allow', 'ec2:DeleteTags', 'arn:aws:ec2:us-east-1:111122223333:instance/*', sid='AllowDeleteSomeTags', cond=c),
                      what="ForAllValues:StringEquals aws:TagKeys [environment, cost-center] AND Null aws:TagKeys = false"),
 'svm-forany': dict(action='ec2:CreateTags', resource='arn:aws:ec2:us-east-1:111122223333:instance/i-0abcd1234ef567890', principal=U + 'alice',
                      stmt=lambda c: S('Allow', 'ec2:CreateTags', 'arn:aws:ec2:us-east-1:111122223333:instance/*', sid='AllowSomeTagKeys', cond=c),
                      what="ForAnyValue:StringEquals aws:TagKeys [environment, cost-center]"),
 'mv2023-dynamodb-forall': dict(action='dynamodb:GetItem', resource='arn:aws:dynamodb:us-east-1:111122223333:table/Thread', principal=U + 'alice',
                      stmt=lambda c: S('Allow', 'dynamodb:GetItem', 'arn:aws:dynamodb:*:*:table/Thread', sid='AllowSomeAttributes', cond=c),
                      what="ForAllValues:StringEquals dynamodb:Attributes [PostDateTime, Message, Tags]"),
 'mv2023-dynamodb-forall-2': dict(action='dynamodb:GetItem', resource='arn:aws:dynamodb:us-east-1:111122223333:table/Thread', principal=U + 'alice',
                      stmt=lambda c: S('Allow', 'dynamodb:GetItem', 'arn:aws:dynamodb:*:*:table/Thread', sid='AllowSomeAttributes', cond=c),
                      what="ForAllValues:StringEquals dynamodb:Attributes [ID, Message, Tags]"),
 'mv2023-dynamodb-forany-deny': dict(action='dynamodb:PutItem', resource='arn:aws:dynamodb:us-east-1:111122223333:table/Thread', principal=U + 'alice',
                      stmt=lambda c: S('Deny', 'dynamodb:PutItem', 'arn:aws:dynamodb:*:*:table/Thread', sid='DenyKeyAttributes', cond=c),
                      allow=S('Allow', 'dynamodb:PutItem', 'arn:aws:dynamodb:*:*:table/Thread', sid='AllowPutItem'),
                      what="Deny dynamodb:PutItem with ForAnyValue:StringEquals dynamodb:Attributes [ID, PostDateTime]"),
}

def vid(s):
    return re.sub(r'[^a-z0-9]+', '-', s.lower()).strip('-')

for g in ex['groups']:
    gid = g['id']; c = cfg[gid]
    cond = copy.deepcopy(g['condition'])
    ren = c.get('rename', lambda k: k)
    vf = c.get('valfix', lambda v: v)
    cond = fix_vals(rename_cond(cond, ren), vf)
    eff = g['statement_effect'] if g['statement_effect'] != 'n/a' else 'Allow'
    for i, row in enumerate(g['rows'], 1):
        rc = {ren(k): [vf(x) for x in v] for k, v in row['request_context'].items()}
        principal = c.get('principal')
        if gid == 'ops-string-variable':
            principal = (U + rc['aws:username'][0]) if 'aws:username' in rc else 'arn:aws:sts::111122223333:assumed-role/ExampleRole/session1'
        if 'aws:PrincipalArn' in rc:
            principal = rc['aws:PrincipalArn'][0]
        ctx = [C(k, ctype(k), *v) for k, v in rc.items()]
        if gid == 'ops-string-variable':
            prefix = 'home/' + (rc['aws:username'][0] if 'aws:username' in rc else 'martha_rivera') + '/'
            ctx.append(C('s3:prefix', 'string', prefix))
        stated = row.get('result_by_stated_rules', row['doc_result'])
        if gid == 'ops-string-variable':
            stated = 'No match' if row['doc_result'] == 'No match' else 'Match'
        match = stated == 'Match'
        policies = {}
        matched = None
        if 'resource_policy' in c:
            st = c['resource_policy'](cond)
            policies['resource'] = P(st)
            if c.get('crossacct'):
                policies['identity'] = [P(S('Allow', 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', sid='IdentityAllowList'))]
            dec = 'allowed' if match else 'implicitDeny'
            if match:
                matched = ([M('identity[0]', 'IdentityAllowList')] if c.get('crossacct') else []) + [M('resource', st['Sid'])]
        elif gid == 'ops-string-1':
            pol = copy.deepcopy(g['policy'])
            pol['Statement']['Sid'] = 'AllowAccessKeyAdmins'
            policies['identity'] = [pol]
            dec = 'allowed' if match else 'implicitDeny'
            if match: matched = [M('identity[0]', 'AllowAccessKeyAdmins')]
        else:
            st = c['stmt'](cond)
            if eff == 'Deny':
                policies['identity'] = [P(c['allow'], st)]
                dec = 'explicitDeny' if match else 'allowed'
                matched = [M('identity[0]', st['Sid'])] if match else [M('identity[0]', c['allow']['Sid'])]
            else:
                policies['identity'] = [P(st)]
                dec = 'allowed' if match else 'implicitDeny'
                if match: matched = [M('identity[0]', st['Sid'])]
        ctxdesc = ', '.join(f"{k}={v}" for k, v in rc.items()) or 'no condition keys in the request'
        desc = f"condition-examples.json group {gid} ({g['section']}), row {i}: {c['what']}. Request context: {ctxdesc}. "
        if gid == 'ops-string-variable':
            desc += f"Page: {row['doc_result']}. The request's s3:prefix is '{prefix}'" + (" and aws:username is absent (role session), so the variable has no value and 'home/${aws:username}/' cannot match (the value home/ alone is deliberately not used)." if 'aws:username' not in rc else ", which equals the substituted value.")
        else:
            desc += f"Page result: {row['doc_result']}."
        if 'result_by_stated_rules' in row and row['result_by_stated_rules'] != row['doc_result']:
            why = {'ops-wildcard-resourceorgpaths': " The same page states that a negated operator with several values is a NOR ('returns true only if all values evaluate to false') and that ForAllValues 'also returns true if there are no context keys in the request'; for each request path, StringNotLike against [mediaou/ (exact), sportsou/*] is true only if the path matches neither.",
                   'ops-forall-arnlike': " The page states ForAllValues is true when every request value matches at least one policy value; distribution/admin matches the pattern distribution/*, and distribution/costcenter does too, so the condition is true."}[gid]
            desc += (f" The page's table contradicts its own stated rules here (doc_table_consistent_with_stated_rules=false, {g['source_url']}); this case follows result_by_stated_rules = {row['result_by_stated_rules']}." + why)
        if row.get('doc_text'): desc += f" Page text: '{row['doc_text']}'."
        if eff == 'Deny':
            desc += " Deny statement: an unconditional Allow for the same action/resource is included, so Match -> explicitDeny and No match -> allowed."
        if g['statement_effect'] == 'n/a':
            desc += " Allow statement: Match -> allowed, No match -> implicitDeny."
        if c.get('crossacct'):
            desc += " The bucket is owned by 111122223333 and the bucket policy names account 222222222222; the caller's identity policy allows s3:ListBucket, so the decision turns on the bucket-policy condition (cross-account: both sides must allow)."
        missing = ['aws:PrincipalTag/job-category'] if (gid == 'ops-string-1' and not rc) else None
        cases.append(case(f'{T}-{gid}-row{i}', desc, g['source_url'] + ' (' + g['section'] + ')', policies,
                          R(principal, c['action'], c['resource'], context=ctx or None, resource_account=c.get('resource_account')),
                          dec, matched=matched, missing=missing))
    if gid == 'ops-string-variable':
        cases.append(case(f'{T}-{gid}-extra-other-users-home', "Extra row for group ops-string-variable: user nikki_wolf lists prefix home/martha_rivera/ - ${aws:username} resolves to nikki_wolf, so neither home/ nor home/nikki_wolf/ matches. Implicit deny.",
                          g['source_url'], {"identity": [P(cfg[gid]['stmt'](g['condition']))]},
                          R(U + 'nikki_wolf', 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', context=[C('aws:username', 'string', 'nikki_wolf'), C('s3:prefix', 'string', 'home/martha_rivera/')]),
                          'implicitDeny'))
        cases.append(case(f'{T}-{gid}-extra-home-root', "Extra row for group ops-string-variable: user nikki_wolf lists prefix home/ - matches the literal first value 'home/'. Allowed.",
                          g['source_url'], {"identity": [P(cfg[gid]['stmt'](g['condition']))]},
                          R(U + 'nikki_wolf', 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', context=[C('aws:username', 'string', 'nikki_wolf'), C('s3:prefix', 'string', 'home/')]),
                          'allowed', matched=[M('identity[0]', 'AllowHomePrefix')]))
write(T, cases)
