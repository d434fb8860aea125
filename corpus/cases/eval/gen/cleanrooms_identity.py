from lib import *
from seeds import S0, S1
T = 'cleanrooms-identity'
cases = []
def add(suffix, *a, **k):
    cases.append(case(T + '-' + suffix, *a, **k))
A = '111122223333'
MP = '/work/shared/reference/managed-policies/'
def mp(name): return json.load(open(MP + name + '.json'))
MPURL = 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/'
KEY = f'arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab'
KEYPOL = P(S('Allow', 'kms:*', '*', sid='Enable IAM User Permissions', principal={"AWS": f'arn:aws:iam::{A}:root'}))
KEYNOTE = " The key policy is the default key policy naming the account (arn:aws:iam::111122223333:root), which lets IAM policies grant access (KMS key policies must allow, A4 row 11)."

# ---------------- read-data role policy ----------------
SRC_RD = SEED0 + ': Create a service role to read data (permissions policy)'
rd_txt = S0[1][1]
for a, b in [('aws-region', 'us-east-1'), ('accountId', A), ('database/database', 'database/salesdb'), ('table/table', 'table/salesdb/customers'),
             ('arn:aws:s3:::bucket"', 'arn:aws:s3:::cr-source-bucket"'), ('arn:aws:s3::bucket/prefix/*', 'arn:aws:s3::cr-source-bucket/prefix/*'),
             ('s3BucketOwnerAccountId', A)]:
    assert a in rd_txt, a
    rd_txt = rd_txt.replace(a, b)
json.loads(rd_txt)
rd_fixed = json.loads(rd_txt); rd_fixed['Statement'][3]['Resource'] = ['arn:aws:s3:::cr-source-bucket/prefix/*']
RDNOTE = (" Seed policy text (whitespace kept, incl. a tab) with placeholders replaced: aws-region -> us-east-1, accountId and s3BucketOwnerAccountId -> 111122223333, "
          "database -> salesdb, table/table -> table/salesdb/customers (Glue table ARNs are table/DATABASE/TABLE), bucket -> cr-source-bucket.")
RS = f'arn:aws:sts::{A}:assumed-role/cleanrooms-read-data/cleanrooms-session'
G = f'arn:aws:glue:us-east-1:{A}'
add('read-data-glue-get-table-allowed', "Read-data service role: glue:GetTable on the configured table arn:aws:glue:us-east-1:111122223333:table/salesdb/customers is listed in NecessaryGluePermissions. Allowed." + RDNOTE,
    SRC_RD, {"identity": [rd_txt]}, R(RS, 'glue:GetTable', f'{G}:table/salesdb/customers'), 'allowed', matched=[M('identity[0]', 'NecessaryGluePermissions')])
add('read-data-glue-get-table-other-table', "Read-data service role: glue:GetTable on another table (salesdb/orders) is not in the Resource list. Implicit deny." + RDNOTE,
    SRC_RD, {"identity": [rd_txt]}, R(RS, 'glue:GetTable', f'{G}:table/salesdb/orders'), 'implicitDeny')
add('read-data-glue-get-database-allowed', "Read-data service role: glue:GetDatabase on database/salesdb. Allowed." + RDNOTE,
    SRC_RD, {"identity": [rd_txt]}, R(RS, 'glue:GetDatabase', f'{G}:database/salesdb'), 'allowed', matched=[M('identity[0]', 'NecessaryGluePermissions')])
add('read-data-glue-get-partitions-catalog-allowed', "Read-data service role: glue:GetPartitions on the catalog ARN arn:aws:glue:us-east-1:111122223333:catalog. Allowed." + RDNOTE,
    SRC_RD, {"identity": [rd_txt]}, R(RS, 'glue:GetPartitions', f'{G}:catalog'), 'allowed', matched=[M('identity[0]', 'NecessaryGluePermissions')])
add('read-data-glue-delete-table-denied', "Read-data service role: glue:DeleteTable is not granted (read-only Glue actions only). Implicit deny." + RDNOTE,
    SRC_RD, {"identity": [rd_txt]}, R(RS, 'glue:DeleteTable', f'{G}:table/salesdb/customers'), 'implicitDeny')
add('read-data-glue-other-region-denied', "Read-data service role: 'Your AWS Glue resources ... must be in the same AWS Region as the AWS Clean Rooms collaboration' - the same table in us-west-2 is not listed. Implicit deny." + RDNOTE,
    SRC_RD, {"identity": [rd_txt]}, R(RS, 'glue:GetTable', f'arn:aws:glue:us-west-2:{A}:table/salesdb/customers'), 'implicitDeny')
add('read-data-glue-get-schema-any-resource', "Read-data service role: the Sid-less second statement allows glue:GetSchema and glue:GetSchemaVersion on \"*\". Allowed (matched by statement index 1)." + RDNOTE,
    SRC_RD, {"identity": [rd_txt]}, R(RS, 'glue:GetSchemaVersion', f'arn:aws:glue:us-east-1:{A}:schema/registry-1/customers'), 'allowed', matched=[M('identity[0]', statement=1)])
add('read-data-s3-list-bucket-owner-matches', "Read-data service role: s3:ListBucket on arn:aws:s3:::cr-source-bucket with StringEquals s3:ResourceAccount = 111122223333; the request's s3:ResourceAccount is 111122223333. Allowed." + RDNOTE,
    SRC_RD, {"identity": [rd_txt]}, R(RS, 's3:ListBucket', 'arn:aws:s3:::cr-source-bucket', context=[C('s3:ResourceAccount', 'string', A)]), 'allowed', matched=[M('identity[0]', 'NecessaryS3BucketPermissions')])
add('read-data-s3-list-bucket-other-owner', "Read-data service role: same bucket name but owned by 999988887777 (s3:ResourceAccount differs) - the condition protects against a same-named bucket in another account. Implicit deny." + RDNOTE,
    SRC_RD, {"identity": [rd_txt]}, R(RS, 's3:ListBucket', 'arn:aws:s3:::cr-source-bucket', resource_account='999988887777', context=[C('s3:ResourceAccount', 'string', '999988887777')]), 'implicitDeny')
add('read-data-s3-list-bucket-no-resource-account', "Read-data service role: s3:ListBucket without the s3:ResourceAccount key in the request: StringEquals on a missing key is false. Implicit deny, key reported missing." + RDNOTE,
    SRC_RD, {"identity": [rd_txt]}, R(RS, 's3:ListBucket', 'arn:aws:s3:::cr-source-bucket'), 'implicitDeny', missing=['s3:ResourceAccount'])
add('read-data-s3-get-object-seed-arn-typo', "Read-data service role, seed text: NecessaryS3ObjectPermissions has Resource 'arn:aws:s3::cr-source-bucket/prefix/*' - only two colons after s3 (the seed writes arn:aws:s3::bucket/prefix/*), so it can never match an S3 object ARN arn:aws:s3:::cr-source-bucket/prefix/data.csv. s3:GetObject is not allowed even with the right s3:ResourceAccount. Implicit deny." + RDNOTE,
    SRC_RD, {"identity": [rd_txt]}, R(RS, 's3:GetObject', 'arn:aws:s3:::cr-source-bucket/prefix/data.csv', context=[C('s3:ResourceAccount', 'string', A)]), 'implicitDeny')
add('read-data-s3-get-object-corrected-arn', "Read-data service role with the S3 object ARN corrected to arn:aws:s3:::cr-source-bucket/prefix/* (corrected variant, not seed text): s3:GetObject on prefix/data.csv with s3:ResourceAccount = 111122223333. Allowed.",
    SRC_RD, {"identity": [rd_fixed]}, R(RS, 's3:GetObject', 'arn:aws:s3:::cr-source-bucket/prefix/data.csv', context=[C('s3:ResourceAccount', 'string', A)]), 'allowed', matched=[M('identity[0]', 'NecessaryS3ObjectPermissions')])
add('read-data-s3-get-object-corrected-outside-prefix', "Corrected read-data policy: object other/data.csv is outside prefix/. Implicit deny.",
    SRC_RD, {"identity": [rd_fixed]}, R(RS, 's3:GetObject', 'arn:aws:s3:::cr-source-bucket/other/data.csv', context=[C('s3:ResourceAccount', 'string', A)]), 'implicitDeny')

# ---------------- write-results role policy ----------------
SRC_WR = SEED0 + ': Create a service role to write results (example service role policy)'
wr = json.loads(S0[3][1].replace('bucket_name/optional_key_prefix', 'cr-results-bucket/results').replace('bucket_name', 'cr-results-bucket'))
WRNOTE = " Seed policy with placeholders replaced: bucket_name -> cr-results-bucket, optional_key_prefix -> results; account 111122223333 kept."
WS = f'arn:aws:sts::{A}:assumed-role/cleanrooms-write-results/cleanrooms-session'
add('write-results-put-object-allowed', "Write-results service role: s3:PutObject on cr-results-bucket/results/q-1/result.csv with StringEquals aws:ResourceAccount = 111122223333. Allowed." + WRNOTE,
    SRC_WR, {"identity": [wr]}, R(WS, 's3:PutObject', 'arn:aws:s3:::cr-results-bucket/results/q-1/result.csv', context=[C('aws:ResourceAccount', 'string', A)]), 'allowed', matched=[M('identity[0]', statement=1)])
add('write-results-put-object-other-account-bucket', "Write-results service role: a bucket with the same name owned by 444455556666 (aws:ResourceAccount 444455556666). Implicit deny." + WRNOTE,
    SRC_WR, {"identity": [wr]}, R(WS, 's3:PutObject', 'arn:aws:s3:::cr-results-bucket/results/q-1/result.csv', resource_account='444455556666', context=[C('aws:ResourceAccount', 'string', '444455556666')]), 'implicitDeny')
add('write-results-put-object-outside-prefix', "Write-results service role: PutObject outside the results/ prefix. Implicit deny." + WRNOTE,
    SRC_WR, {"identity": [wr]}, R(WS, 's3:PutObject', 'arn:aws:s3:::cr-results-bucket/other/result.csv', context=[C('aws:ResourceAccount', 'string', A)]), 'implicitDeny')
add('write-results-get-object-not-granted', "Write-results service role grants only s3:PutObject on objects; s3:GetObject is not allowed. Implicit deny." + WRNOTE,
    SRC_WR, {"identity": [wr]}, R(WS, 's3:GetObject', 'arn:aws:s3:::cr-results-bucket/results/q-1/result.csv', context=[C('aws:ResourceAccount', 'string', A)]), 'implicitDeny')
add('write-results-get-bucket-location-allowed', "Write-results service role: s3:GetBucketLocation on the bucket with aws:ResourceAccount = 111122223333. Allowed." + WRNOTE,
    SRC_WR, {"identity": [wr]}, R(WS, 's3:GetBucketLocation', 'arn:aws:s3:::cr-results-bucket', context=[C('aws:ResourceAccount', 'string', A)]), 'allowed', matched=[M('identity[0]', statement=0)])

# ---------------- ML training data role ----------------
SRC_TR = SEED0 + ': Create a service role to read training data (permissions policy and KMS statement)'
def ml_text(txt, folders, bucket):
    t = txt.replace(':region:accountId:', f':us-east-1:{A}:').replace('database/databases', 'database/mldb').replace('table/databases/tables', 'table/mldb/training')
    t = t.replace('"accountId"', f'"{A}"').replace('bucketFolders', folders).replace('arn:aws:s3:::buckets"', f'arn:aws:s3:::{bucket}"').replace('arn:aws:s3:::bucket"', f'arn:aws:s3:::{bucket}"')
    t = t.replace('key/keyId', 'key/1234abcd-12ab-34cd-56ef-1234567890ab')
    return t
def fix_commas(t): return re.sub(r',(\s*[\]}])', r'\1', t)
tr = json.loads(ml_text(S0[4][1], 'cr-ml-bucket/training', 'cr-ml-bucket'))
kms_tr = json.loads(fix_commas(ml_text(S0[5][1], 'cr-ml-bucket/training', 'cr-ml-bucket')))
kms_tr['Sid'] = 'KmsDecrypt'
tr['Statement'].append(kms_tr)
TRNOTE = (" Seed template with placeholders replaced (region -> us-east-1, accountId -> 111122223333, databases -> mldb, tables -> training, bucket -> cr-ml-bucket, "
          "bucketFolders -> cr-ml-bucket/training, keyId -> 1234abcd-...), plus the seed's optional KMS statement appended; that statement is invalid JSON in the seed "
          "(trailing comma after \"kms:Decrypt\") and is used here corrected, with Sid KmsDecrypt added for reporting.")
TS = f'arn:aws:sts::{A}:assumed-role/cleanrooms-ml-training-data/cleanrooms-ml-session'
add('ml-training-glue-user-defined-functions-default-db', "Training-data role: glue:GetUserDefinedFunctions on database/default is allowed by the first statement. Allowed." + TRNOTE,
    SRC_TR, {"identity": [tr]}, R(TS, 'glue:GetUserDefinedFunctions', f'{G}:database/default'), 'allowed', matched=[M('identity[0]', statement=0)])
add('ml-training-glue-get-table-allowed', "Training-data role: glue:GetTable on table/mldb/training. Allowed." + TRNOTE,
    SRC_TR, {"identity": [tr]}, R(TS, 'glue:GetTable', f'{G}:table/mldb/training'), 'allowed', matched=[M('identity[0]', statement=0)])
add('ml-training-glue-create-database-default', "Training-data role: glue:CreateDatabase is allowed on the catalog and database/default. Request on database/default. Allowed." + TRNOTE,
    SRC_TR, {"identity": [tr]}, R(TS, 'glue:CreateDatabase', f'{G}:database/default'), 'allowed', matched=[M('identity[0]', statement=1)])
add('ml-training-glue-create-database-other', "Training-data role: glue:CreateDatabase on database/mldb is not in the second statement's Resource list. Implicit deny." + TRNOTE,
    SRC_TR, {"identity": [tr]}, R(TS, 'glue:CreateDatabase', f'{G}:database/mldb'), 'implicitDeny')
add('ml-training-s3-get-object-allowed', "Training-data role: s3:GetObject on cr-ml-bucket/training/part-0.parquet with s3:ResourceAccount 111122223333. Allowed." + TRNOTE,
    SRC_TR, {"identity": [tr]}, R(TS, 's3:GetObject', 'arn:aws:s3:::cr-ml-bucket/training/part-0.parquet', context=[C('s3:ResourceAccount', 'string', A)]), 'allowed', matched=[M('identity[0]', statement=3)])
add('ml-training-kms-decrypt-allowed', "Training-data role: kms:Decrypt on the key with StringLike kms:EncryptionContext:aws:s3:arn = arn:aws:s3:::cr-ml-bucket/training/*; the request's encryption context names an object under that prefix." + KEYNOTE + " Allowed." + TRNOTE,
    SRC_TR, {"identity": [tr], "resource": KEYPOL}, R(TS, 'kms:Decrypt', KEY, context=[C('kms:EncryptionContext:aws:s3:arn', 'string', 'arn:aws:s3:::cr-ml-bucket/training/part-0.parquet')]),
    'allowed', matched=[M('identity[0]', 'KmsDecrypt'), M('resource', 'Enable IAM User Permissions')])
add('ml-training-kms-decrypt-other-bucket', "Training-data role: kms:Decrypt where the encryption context names an object in another bucket. Implicit deny." + KEYNOTE + TRNOTE,
    SRC_TR, {"identity": [tr], "resource": KEYPOL}, R(TS, 'kms:Decrypt', KEY, context=[C('kms:EncryptionContext:aws:s3:arn', 'string', 'arn:aws:s3:::other-bucket/training/part-0.parquet')]), 'implicitDeny')
add('ml-training-kms-decrypt-no-encryption-context', "Training-data role: kms:Decrypt without the kms:EncryptionContext:aws:s3:arn key: StringLike on a missing key is false. Implicit deny." + KEYNOTE + TRNOTE,
    SRC_TR, {"identity": [tr], "resource": KEYPOL}, R(TS, 'kms:Decrypt', KEY), 'implicitDeny')
add('ml-training-kms-encrypt-not-granted', "Training-data role: only kms:Decrypt is granted; kms:Encrypt is not. Implicit deny." + KEYNOTE + TRNOTE,
    SRC_TR, {"identity": [tr], "resource": KEYPOL}, R(TS, 'kms:Encrypt', KEY, context=[C('kms:EncryptionContext:aws:s3:arn', 'string', 'arn:aws:s3:::cr-ml-bucket/training/part-0.parquet')]), 'implicitDeny')

# ---------------- lookalike segment writer ----------------
SRC_LA = SEED0 + ': Create a service role to write a lookalike segment (permissions policy and KMS statement)'
la = json.loads(ml_text(S0[7][1], 'cr-lookalike-bucket/segments', 'cr-lookalike-bucket'))
kms_la = json.loads(fix_commas(ml_text(S0[8][1], 'cr-lookalike-bucket/segments', 'cr-lookalike-bucket')))
kms_la['Sid'] = 'KmsEncrypt'
la['Statement'].append(kms_la)
LANOTE = (" Seed template with placeholders replaced (buckets -> cr-lookalike-bucket, bucketFolders -> cr-lookalike-bucket/segments, accountId -> 111122223333, region -> us-east-1), "
          "plus the seed's KMS statement (invalid JSON in the seed: trailing comma after \"kms:ReEncrypt*\"), corrected, Sid KmsEncrypt added.")
LS = f'arn:aws:sts::{A}:assumed-role/cleanrooms-ml-lookalike-writer/cleanrooms-ml-session'
ECTX = [C('kms:EncryptionContext:aws:s3:arn', 'string', 'arn:aws:s3:::cr-lookalike-bucket/segments/job-1/part-0.csv')]
add('lookalike-put-object-allowed', "Lookalike-segment role: s3:PutObject under cr-lookalike-bucket/segments/ with s3:ResourceAccount 111122223333. Allowed." + LANOTE,
    SRC_LA, {"identity": [la]}, R(LS, 's3:PutObject', 'arn:aws:s3:::cr-lookalike-bucket/segments/job-1/part-0.csv', context=[C('s3:ResourceAccount', 'string', A)]), 'allowed', matched=[M('identity[0]', statement=1)])
add('lookalike-get-object-not-granted', "Lookalike-segment role writes only; s3:GetObject is not granted. Implicit deny." + LANOTE,
    SRC_LA, {"identity": [la]}, R(LS, 's3:GetObject', 'arn:aws:s3:::cr-lookalike-bucket/segments/job-1/part-0.csv', context=[C('s3:ResourceAccount', 'string', A)]), 'implicitDeny')
add('lookalike-kms-generate-data-key-wildcard', "Lookalike-segment role: kms:GenerateDataKey* matches kms:GenerateDataKeyWithoutPlaintext; encryption context under the segments prefix." + KEYNOTE + " Allowed." + LANOTE,
    SRC_LA, {"identity": [la], "resource": KEYPOL}, R(LS, 'kms:GenerateDataKeyWithoutPlaintext', KEY, context=ECTX), 'allowed', matched=[M('identity[0]', 'KmsEncrypt'), M('resource', 'Enable IAM User Permissions')])
add('lookalike-kms-reencrypt-from-wildcard', "Lookalike-segment role: kms:ReEncrypt* matches kms:ReEncryptFrom." + KEYNOTE + " Allowed." + LANOTE,
    SRC_LA, {"identity": [la], "resource": KEYPOL}, R(LS, 'kms:ReEncryptFrom', KEY, context=ECTX), 'allowed', matched=[M('identity[0]', 'KmsEncrypt'), M('resource', 'Enable IAM User Permissions')])
add('lookalike-kms-decrypt-not-granted', "Lookalike-segment role: kms:Decrypt is not in [kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*]. Implicit deny." + KEYNOTE + LANOTE,
    SRC_LA, {"identity": [la], "resource": KEYPOL}, R(LS, 'kms:Decrypt', KEY, context=ECTX), 'implicitDeny')

# ---------------- seed data reader ----------------
SRC_SD = SEED0 + ': Create a service role to read seed data (permissions policy and KMS statement)'
sd = json.loads(fix_commas(ml_text(S0[10][1], 'cr-seed-bucket/seeds', 'cr-seed-bucket')))
kms_sd = json.loads(ml_text(S0[11][1], 'cr-seed-bucket/seeds', 'cr-seed-bucket'))
kms_sd['Sid'] = 'KmsDecryptDescribe'
sd['Statement'].append(kms_sd)
SDNOTE = (" Seed template (invalid JSON in the seed: trailing comma after \"s3:ListBucket\", corrected) with placeholders replaced (buckets -> cr-seed-bucket, bucketFolders -> cr-seed-bucket/seeds, accountId -> 111122223333, region -> us-east-1), "
          "plus the seed's KMS statement (kms:Decrypt, kms:DescribeKey), Sid KmsDecryptDescribe added.")
SS = f'arn:aws:sts::{A}:assumed-role/cleanrooms-ml-seed-reader/cleanrooms-ml-session'
SCTX = [C('kms:EncryptionContext:aws:s3:arn', 'string', 'arn:aws:s3:::cr-seed-bucket/seeds/seed.csv')]
add('seed-data-list-bucket-allowed', "Seed-data role: s3:ListBucket on cr-seed-bucket with s3:ResourceAccount 111122223333. Allowed." + SDNOTE,
    SRC_SD, {"identity": [sd]}, R(SS, 's3:ListBucket', 'arn:aws:s3:::cr-seed-bucket', context=[C('s3:ResourceAccount', 'string', A)]), 'allowed', matched=[M('identity[0]', statement=0)])
add('seed-data-get-bucket-location-not-granted', "Seed-data role: unlike the other templates this one lists only s3:ListBucket for the bucket; s3:GetBucketLocation is not granted. Implicit deny." + SDNOTE,
    SRC_SD, {"identity": [sd]}, R(SS, 's3:GetBucketLocation', 'arn:aws:s3:::cr-seed-bucket', context=[C('s3:ResourceAccount', 'string', A)]), 'implicitDeny')
add('seed-data-get-object-allowed', "Seed-data role: s3:GetObject on cr-seed-bucket/seeds/seed.csv. Allowed." + SDNOTE,
    SRC_SD, {"identity": [sd]}, R(SS, 's3:GetObject', 'arn:aws:s3:::cr-seed-bucket/seeds/seed.csv', context=[C('s3:ResourceAccount', 'string', A)]), 'allowed', matched=[M('identity[0]', statement=1)])
add('seed-data-kms-decrypt-allowed', "Seed-data role: kms:Decrypt with an encryption context under cr-seed-bucket/seeds/." + KEYNOTE + " Allowed." + SDNOTE,
    SRC_SD, {"identity": [sd], "resource": KEYPOL}, R(SS, 'kms:Decrypt', KEY, context=SCTX), 'allowed', matched=[M('identity[0]', 'KmsDecryptDescribe'), M('resource', 'Enable IAM User Permissions')])
add('seed-data-kms-describe-key-without-context', "Seed-data role: kms:DescribeKey shares the statement's StringLike kms:EncryptionContext:aws:s3:arn condition; a DescribeKey request carries no encryption context, so the condition is false. Implicit deny (the seed's DescribeKey grant is ineffective as written)." + KEYNOTE + SDNOTE,
    SRC_SD, {"identity": [sd], "resource": KEYPOL}, R(SS, 'kms:DescribeKey', KEY), 'implicitDeny')

# ---------------- seed 001 identity examples ----------------
SRC_VO = SEED1 + ': Identity-based policy examples - Allow users to view their own permissions'
vo = S1[0][1]
add('view-own-user-info-own-user', "Seed 001 ViewOwnUserInfo (exact text): iam:GetUserPolicy on arn:aws:iam::*:user/${aws:username}; alice on her own user ARN. Allowed.",
    SRC_VO, {"identity": [vo]}, R(f'arn:aws:iam::{A}:user/alice', 'iam:GetUserPolicy', f'arn:aws:iam::{A}:user/alice'), 'allowed', matched=[M('identity[0]', 'ViewOwnUserInfo')])
add('view-own-user-info-other-user', "Seed 001 ViewOwnUserInfo: alice asking for bob's user policies does not match user/${aws:username}. Implicit deny.",
    SRC_VO, {"identity": [vo]}, R(f'arn:aws:iam::{A}:user/alice', 'iam:GetUserPolicy', f'arn:aws:iam::{A}:user/bob'), 'implicitDeny')
add('view-own-user-info-navigate-console', "Seed 001 NavigateInConsole: iam:ListPolicies on \"*\". Allowed.",
    SRC_VO, {"identity": [vo]}, R(f'arn:aws:iam::{A}:user/alice', 'iam:ListPolicies', '*'), 'allowed', matched=[M('identity[0]', 'NavigateInConsole')])
add('view-own-user-info-role-session-no-username', "Seed 001 ViewOwnUserInfo used by a role session: aws:username is absent for roles, so user/${aws:username} matches no resource. Implicit deny.",
    SRC_VO, {"identity": [vo]}, R(f'arn:aws:sts::{A}:assumed-role/Analyst/alice', 'iam:GetUser', f'arn:aws:iam::{A}:user/alice'), 'implicitDeny')
SRC_BY = SEED1 + ': IAM behaviors for Clean Rooms ML Custom Models - Membership and collaboration access'
by = S1[3][1]
add('custom-models-pass-membership', "Seed 001 custom-models sample policy (exact text): AllowCleanroomsMLActions allows cleanrooms:PassMembership on \"*\" ('All APIs that accept membershipId need the cleanrooms:PassMembership permission'). Allowed.",
    SRC_BY, {"identity": [by]}, R(f'arn:aws:sts::{A}:assumed-role/MLRole/s1', 'cleanrooms:PassMembership', f'arn:aws:cleanrooms:us-east-1:{A}:membership/memberId'), 'allowed', matched=[M('identity[0]', 'AllowCleanroomsMLActions')])
add('custom-models-get-membership-listed', "Seed 001 custom-models sample policy: cleanrooms:GetMembership on the literal placeholder ARN .../membership/memberId. Allowed.",
    SRC_BY, {"identity": [by]}, R(f'arn:aws:sts::{A}:assumed-role/MLRole/s1', 'cleanrooms:GetMembership', f'arn:aws:cleanrooms:us-east-1:{A}:membership/memberId'), 'allowed', matched=[M('identity[0]', 'AllowMembershipAccess')])
add('custom-models-get-membership-other', "Seed 001 custom-models sample policy: GetMembership on a real membership id that is not the listed one. Implicit deny.",
    SRC_BY, {"identity": [by]}, R(f'arn:aws:sts::{A}:assumed-role/MLRole/s1', 'cleanrooms:GetMembership', f'arn:aws:cleanrooms:us-east-1:{A}:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'), 'implicitDeny')
add('custom-models-get-collaboration', "Seed 001 custom-models sample policy: cleanrooms:GetCollaboration on .../collaboration/collaborationId. Allowed.",
    SRC_BY, {"identity": [by]}, R(f'arn:aws:sts::{A}:assumed-role/MLRole/s1', 'cleanrooms:GetCollaboration', f'arn:aws:cleanrooms:us-east-1:{A}:collaboration/collaborationId'), 'allowed', matched=[M('identity[0]', 'AllowCollaborationAccess')])
add('custom-models-update-membership-not-granted', "Seed 001 custom-models sample policy does not grant cleanrooms:UpdateMembership. Implicit deny.",
    SRC_BY, {"identity": [by]}, R(f'arn:aws:sts::{A}:assumed-role/MLRole/s1', 'cleanrooms:UpdateMembership', f'arn:aws:cleanrooms:us-east-1:{A}:membership/memberId'), 'implicitDeny')

# ---------------- managed policies ----------------
U = f'arn:aws:sts::{A}:assumed-role/CleanRoomsAnalyst/analyst'
COLL = f'arn:aws:cleanrooms:us-east-1:{A}:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'
MEMB = f'arn:aws:cleanrooms:us-east-1:{A}:membership/b2c3d4e5-6789-01bc-defa-EXAMPLE22222'
CTAB = f'arn:aws:cleanrooms:us-east-1:{A}:configuredtable/c3d4e5f6-7890-12cd-efab-EXAMPLE33333'
CAMA = f'{MEMB}/configuredaudiencemodelassociation/d4e5f6a7-8901-23de-fabc-EXAMPLE44444'
CAM = f'arn:aws:cleanrooms-ml:us-east-1:{A}:configured-audience-model/e5f6a7b8-9012-34ef-abcd-EXAMPLE55555'
LG = f'arn:aws:logs:us-east-1:{A}:log-group:/aws/cleanrooms/queries'
def mpcase(pname, suffix, desc, action, resource, dec, sid=None, ctx=None, extra=None):
    pols = [mp(pname)] + (extra or [])
    m = None
    if dec == 'allowed': m = [M('identity[0]', s) for s in (sid if isinstance(sid, list) else [sid])]
    if dec == 'explicitDeny': m = [M('identity[0]', sid)]
    add(suffix, desc, MPURL + pname + '.html; ' + SEED1 + ': AWS managed policies for AWS Clean Rooms', {"identity": pols}, R(U, action, resource, context=ctx), dec, matched=m)
RO = 'AWSCleanRoomsReadOnlyAccess'
mpcase(RO, 'readonly-get-collaboration', "AWSCleanRoomsReadOnlyAccess, CleanRoomsRead (cleanrooms:Get* on *): cleanrooms:GetCollaboration. Allowed.", 'cleanrooms:GetCollaboration', COLL, 'allowed', 'CleanRoomsRead')
mpcase(RO, 'readonly-list-memberships', "AWSCleanRoomsReadOnlyAccess: cleanrooms:ListMemberships matches cleanrooms:List*. Allowed.", 'cleanrooms:ListMemberships', '*', 'allowed', 'CleanRoomsRead')
mpcase(RO, 'readonly-batch-get-schema', "AWSCleanRoomsReadOnlyAccess: cleanrooms:BatchGetSchema matches cleanrooms:BatchGet*. Allowed.", 'cleanrooms:BatchGetSchema', COLL, 'allowed', 'CleanRoomsRead')
mpcase(RO, 'readonly-get-protected-query', "AWSCleanRoomsReadOnlyAccess: cleanrooms:GetProtectedQuery (membership resource) matches Get*. Allowed.", 'cleanrooms:GetProtectedQuery', MEMB, 'allowed', 'CleanRoomsRead')
mpcase(RO, 'readonly-create-collaboration-denied', "AWSCleanRoomsReadOnlyAccess grants no write actions: cleanrooms:CreateCollaboration. Implicit deny.", 'cleanrooms:CreateCollaboration', COLL, 'implicitDeny')
mpcase(RO, 'readonly-start-protected-query-denied', "AWSCleanRoomsReadOnlyAccess: cleanrooms:StartProtectedQuery is a write action. Implicit deny.", 'cleanrooms:StartProtectedQuery', MEMB, 'implicitDeny')
mpcase(RO, 'readonly-pass-membership-denied', "AWSCleanRoomsReadOnlyAccess: cleanrooms:PassMembership does not match BatchGet*/Get*/List*. Implicit deny.", 'cleanrooms:PassMembership', MEMB, 'implicitDeny')
mpcase(RO, 'readonly-cleanrooms-ml-not-covered', "AWSCleanRoomsReadOnlyAccess: cleanrooms:Get* does not cover the separate service prefix cleanrooms-ml (cleanrooms-ml:GetConfiguredAudienceModel). Implicit deny.", 'cleanrooms-ml:GetConfiguredAudienceModel', CAM, 'implicitDeny')
mpcase(RO, 'readonly-glue-get-table', "AWSCleanRoomsReadOnlyAccess, ConsoleDisplayTables: glue:GetTable on *. Allowed.", 'glue:GetTable', f'{G}:table/salesdb/customers', 'allowed', 'ConsoleDisplayTables')
mpcase(RO, 'readonly-glue-update-table-denied', "AWSCleanRoomsReadOnlyAccess: glue:UpdateTable is not listed. Implicit deny.", 'glue:UpdateTable', f'{G}:table/salesdb/customers', 'implicitDeny')
mpcase(RO, 'readonly-logs-start-query-cleanrooms-group', "AWSCleanRoomsReadOnlyAccess, ConsoleLogSummaryQueryLogs: logs:StartQuery on arn:aws:logs:*:*:log-group:/aws/cleanrooms*; log group /aws/cleanrooms/queries. Allowed.", 'logs:StartQuery', LG, 'allowed', 'ConsoleLogSummaryQueryLogs')
mpcase(RO, 'readonly-logs-start-query-other-group', "AWSCleanRoomsReadOnlyAccess: logs:StartQuery on /aws/lambda/fn is outside /aws/cleanrooms*. Implicit deny.", 'logs:StartQuery', f'arn:aws:logs:us-east-1:{A}:log-group:/aws/lambda/fn', 'implicitDeny')
mpcase(RO, 'readonly-logs-get-query-results', "AWSCleanRoomsReadOnlyAccess, ConsoleLogSummaryObtainLogs: logs:GetQueryResults on *. Allowed.", 'logs:GetQueryResults', '*', 'allowed', 'ConsoleLogSummaryObtainLogs')
FA = 'AWSCleanRoomsFullAccess'
SR = f'arn:aws:iam::{A}:role/service-role/cleanrooms-query-runner'
PTS = lambda s: [C('iam:PassedToService', 'string', s)]
CV = lambda *s: [C('aws:CalledVia', 'stringList', *s)]
mpcase(FA, 'full-start-protected-query', "AWSCleanRoomsFullAccess, CleanRoomsAccess (cleanrooms:* on *) 'includes access to perform queries': cleanrooms:StartProtectedQuery. Allowed.", 'cleanrooms:StartProtectedQuery', MEMB, 'allowed', 'CleanRoomsAccess')
mpcase(FA, 'full-delete-collaboration', "AWSCleanRoomsFullAccess: cleanrooms:DeleteCollaboration. Allowed.", 'cleanrooms:DeleteCollaboration', COLL, 'allowed', 'CleanRoomsAccess')
mpcase(FA, 'full-pass-role-to-cleanrooms', "AWSCleanRoomsFullAccess, PassServiceRole: iam:PassRole on arn:aws:iam::*:role/service-role/*cleanrooms* with StringEquals iam:PassedToService = cleanrooms.amazonaws.com; role service-role/cleanrooms-query-runner passed to Clean Rooms. Allowed.", 'iam:PassRole', SR, 'allowed', 'PassServiceRole', ctx=PTS('cleanrooms.amazonaws.com'))
mpcase(FA, 'full-pass-role-to-other-service', "AWSCleanRoomsFullAccess: passing the same role to glue.amazonaws.com fails the iam:PassedToService condition. Implicit deny.", 'iam:PassRole', SR, 'implicitDeny', ctx=PTS('glue.amazonaws.com'))
mpcase(FA, 'full-pass-role-without-service-role-path', "AWSCleanRoomsFullAccess: role arn:aws:iam::111122223333:role/cleanrooms-query-runner has no /service-role/ path, so it does not match role/service-role/*cleanrooms*. Implicit deny.", 'iam:PassRole', f'arn:aws:iam::{A}:role/cleanrooms-query-runner', 'implicitDeny', ctx=PTS('cleanrooms.amazonaws.com'))
mpcase(FA, 'full-pass-role-name-case', "AWSCleanRoomsFullAccess: role service-role/CleanRooms-Query does not contain the lower-case substring 'cleanrooms' (resource matching is case-sensitive). Implicit deny.", 'iam:PassRole', f'arn:aws:iam::{A}:role/service-role/CleanRooms-Query', 'implicitDeny', ctx=PTS('cleanrooms.amazonaws.com'))
mpcase(FA, 'full-pass-role-missing-passed-to-service', "AWSCleanRoomsFullAccess: iam:PassRole without the iam:PassedToService key: StringEquals on a missing key is false. Implicit deny.", 'iam:PassRole', SR, 'implicitDeny')
mpcase(FA, 'full-get-role-service-role', "AWSCleanRoomsFullAccess, GetRoleAndListRolePoliciesToInspectServiceRole: iam:ListAttachedRolePolicies on service-role/cleanrooms-query-runner. Allowed.", 'iam:ListAttachedRolePolicies', SR, 'allowed', 'GetRoleAndListRolePoliciesToInspectServiceRole')
mpcase(FA, 'full-get-policy-cleanrooms', "AWSCleanRoomsFullAccess, GetPolicyToInspectServiceRolePolicy: iam:GetPolicyVersion on policy/my-cleanrooms-read-policy. Allowed.", 'iam:GetPolicyVersion', f'arn:aws:iam::{A}:policy/my-cleanrooms-read-policy', 'allowed', 'GetPolicyToInspectServiceRolePolicy')
QR = 'arn:aws:s3:::cleanrooms-queryresults-111122223333/q-1/result.csv'
mpcase(FA, 'full-write-query-results-via-cleanrooms', "AWSCleanRoomsFullAccess, WriteQueryResults: s3:PutObject on arn:aws:s3:::cleanrooms-queryresults* with ForAnyValue:StringEquals aws:CalledVia cleanrooms.amazonaws.com; request made via Clean Rooms (aws:CalledVia = [cleanrooms.amazonaws.com]). Allowed.", 's3:PutObject', QR, 'allowed', 'WriteQueryResults', ctx=CV('cleanrooms.amazonaws.com'))
mpcase(FA, 'full-write-query-results-direct', "AWSCleanRoomsFullAccess: direct s3:PutObject (no aws:CalledVia): ForAnyValue on a missing key is false. Implicit deny.", 's3:PutObject', QR, 'implicitDeny')
mpcase(FA, 'full-write-query-results-via-other-service', "AWSCleanRoomsFullAccess: s3:PutObject via athena.amazonaws.com only. Implicit deny.", 's3:PutObject', QR, 'implicitDeny', ctx=CV('athena.amazonaws.com'))
mpcase(FA, 'full-display-query-results', "AWSCleanRoomsFullAccess, ConsoleDisplayQueryResults: s3:GetObject on cleanrooms-queryresults* objects, unconditional. Allowed.", 's3:GetObject', QR, 'allowed', 'ConsoleDisplayQueryResults')
mpcase(FA, 'full-set-query-results-bucket', "AWSCleanRoomsFullAccess, SetQueryResultsBucket: s3:GetBucketLocation on bucket cleanrooms-queryresults-111122223333. Allowed.", 's3:GetBucketLocation', 'arn:aws:s3:::cleanrooms-queryresults-111122223333', 'allowed', 'SetQueryResultsBucket')
mpcase(FA, 'full-delete-query-results-denied', "AWSCleanRoomsFullAccess grants no s3:DeleteObject. Implicit deny.", 's3:DeleteObject', QR, 'implicitDeny')
mpcase(FA, 'full-create-log-group-via-cleanrooms', "AWSCleanRoomsFullAccess, SetupLogGroupsCreate: logs:CreateLogGroup on /aws/cleanrooms* when called via cleanrooms.amazonaws.com. Allowed.", 'logs:CreateLogGroup', LG, 'allowed', 'SetupLogGroupsCreate', ctx=CV('cleanrooms.amazonaws.com'))
mpcase(FA, 'full-log-delivery-called-via-chain', "AWSCleanRoomsFullAccess, EstablishLogDeliveries: aws:CalledVia [athena.amazonaws.com, cleanrooms.amazonaws.com] contains cleanrooms.amazonaws.com (ForAnyValue). Allowed.", 'logs:CreateLogDelivery', '*', 'allowed', 'EstablishLogDeliveries', ctx=CV('athena.amazonaws.com', 'cleanrooms.amazonaws.com'))
mpcase(FA, 'full-cleanrooms-ml-not-covered', "AWSCleanRoomsFullAccess: cleanrooms:* does not match cleanrooms-ml:CreateTrainingDataset (different service prefix). Implicit deny.", 'cleanrooms-ml:CreateTrainingDataset', '*', 'implicitDeny')
NQ = 'AWSCleanRoomsFullAccessNoQuerying'
mpcase(NQ, 'noquery-start-protected-query-denied', "AWSCleanRoomsFullAccessNoQuerying, CleanRoomsNoQuerying: 'Explicitly denies StartProtectedQuery and UpdateProtectedQuery to prevent querying.' Explicit deny.", 'cleanrooms:StartProtectedQuery', MEMB, 'explicitDeny', 'CleanRoomsNoQuerying')
mpcase(NQ, 'noquery-update-protected-query-denied', "AWSCleanRoomsFullAccessNoQuerying: cleanrooms:UpdateProtectedQuery is explicitly denied. Explicit deny.", 'cleanrooms:UpdateProtectedQuery', MEMB, 'explicitDeny', 'CleanRoomsNoQuerying')
mpcase(NQ, 'noquery-create-collaboration', "AWSCleanRoomsFullAccessNoQuerying, CleanRoomsAccess lists cleanrooms:CreateCollaboration. Allowed.", 'cleanrooms:CreateCollaboration', COLL, 'allowed', 'CleanRoomsAccess')
mpcase(NQ, 'noquery-get-protected-query', "AWSCleanRoomsFullAccessNoQuerying: cleanrooms:GetProtectedQuery is listed (reading results of existing queries). Allowed.", 'cleanrooms:GetProtectedQuery', MEMB, 'allowed', 'CleanRoomsAccess')
mpcase(NQ, 'noquery-update-configured-table-allowed-columns', "AWSCleanRoomsFullAccessNoQuerying: cleanrooms:UpdateConfiguredTableAllowedColumns (added July 2025) is listed. Allowed.", 'cleanrooms:UpdateConfiguredTableAllowedColumns', CTAB, 'allowed', 'CleanRoomsAccess')
mpcase(NQ, 'noquery-start-protected-job-not-listed', "AWSCleanRoomsFullAccessNoQuerying: cleanrooms:StartProtectedJob is neither listed in CleanRoomsAccess nor explicitly denied. Implicit deny.", 'cleanrooms:StartProtectedJob', MEMB, 'implicitDeny')
mpcase(NQ, 'noquery-write-query-results-not-granted', "AWSCleanRoomsFullAccessNoQuerying has no S3 statements: s3:PutObject to a query-results bucket even via Clean Rooms. Implicit deny.", 's3:PutObject', QR, 'implicitDeny', ctx=CV('cleanrooms.amazonaws.com'))
mpcase(NQ, 'noquery-with-full-access-deny-wins', "AWSCleanRoomsFullAccessNoQuerying attached together with AWSCleanRoomsFullAccess: CleanRoomsAccess of FullAccess allows cleanrooms:*, but NoQuerying's explicit Deny wins. Explicit deny.", 'cleanrooms:StartProtectedQuery', MEMB, 'explicitDeny', 'CleanRoomsNoQuerying', extra=[mp(FA)])
mpcase(NQ, 'noquery-pass-role-to-cleanrooms', "AWSCleanRoomsFullAccessNoQuerying, PassServiceRole: iam:PassRole service-role/cleanrooms-query-runner to cleanrooms.amazonaws.com. Allowed.", 'iam:PassRole', SR, 'allowed', 'PassServiceRole', ctx=PTS('cleanrooms.amazonaws.com'))
MF = 'AWSCleanRoomsMLFullAccess'
MLR = f'arn:aws:iam::{A}:role/cleanrooms-ml-training-data'
mpcase(MF, 'mlfull-start-audience-generation-job', "AWSCleanRoomsMLFullAccess, CleanRoomsMLFullAccess (cleanrooms-ml:* on *): cleanrooms-ml:StartAudienceGenerationJob. Allowed.", 'cleanrooms-ml:StartAudienceGenerationJob', CAM, 'allowed', 'CleanRoomsMLFullAccess')
mpcase(MF, 'mlfull-pass-role-to-cleanrooms-ml', "AWSCleanRoomsMLFullAccess, PassServiceRole: iam:PassRole on arn:aws:iam::*:role/cleanrooms-ml* with iam:PassedToService = cleanrooms-ml.amazonaws.com. Allowed.", 'iam:PassRole', MLR, 'allowed', 'PassServiceRole', ctx=PTS('cleanrooms-ml.amazonaws.com'))
mpcase(MF, 'mlfull-pass-role-to-cleanrooms-denied', "AWSCleanRoomsMLFullAccess: passing role/cleanrooms-ml-training-data to cleanrooms.amazonaws.com (not cleanrooms-ml). Implicit deny.", 'iam:PassRole', MLR, 'implicitDeny', ctx=PTS('cleanrooms.amazonaws.com'))
mpcase(MF, 'mlfull-pass-role-service-role-path-denied', "AWSCleanRoomsMLFullAccess: PassServiceRole's resource role/cleanrooms-ml* has no path, so role/service-role/cleanrooms-ml-training does not match. Implicit deny.", 'iam:PassRole', f'arn:aws:iam::{A}:role/service-role/cleanrooms-ml-training', 'implicitDeny', ctx=PTS('cleanrooms-ml.amazonaws.com'))
mpcase(MF, 'mlfull-list-members-console', "AWSCleanRoomsMLFullAccess: cleanrooms:ListMembers is in CleanRoomsConsoleNavigation without condition; direct call (no aws:CalledVia). Allowed.", 'cleanrooms:ListMembers', COLL, 'allowed', 'CleanRoomsConsoleNavigation')
mpcase(MF, 'mlfull-list-members-via-cleanrooms-ml', "AWSCleanRoomsMLFullAccess: cleanrooms:ListMembers called via cleanrooms-ml.amazonaws.com matches both CleanRoomsConsoleNavigation and CollaborationMembershipCheck. Allowed.", 'cleanrooms:ListMembers', COLL, 'allowed', ['CleanRoomsConsoleNavigation', 'CollaborationMembershipCheck'], ctx=CV('cleanrooms-ml.amazonaws.com'))
mpcase(MF, 'mlfull-associate-models', "AWSCleanRoomsMLFullAccess, AssociateModels: cleanrooms:CreateConfiguredAudienceModelAssociation. Allowed.", 'cleanrooms:CreateConfiguredAudienceModelAssociation', CAMA, 'allowed', 'AssociateModels')
mpcase(MF, 'mlfull-tag-association', "AWSCleanRoomsMLFullAccess, TagAssociations: cleanrooms:TagResource on arn:aws:cleanrooms:*:*:membership/*/configuredaudiencemodelassociation/*. Allowed.", 'cleanrooms:TagResource', CAMA, 'allowed', 'TagAssociations')
mpcase(MF, 'mlfull-tag-collaboration-denied', "AWSCleanRoomsMLFullAccess: cleanrooms:TagResource on a collaboration ARN is outside TagAssociations' resource. Implicit deny.", 'cleanrooms:TagResource', COLL, 'implicitDeny')
mpcase(MF, 'mlfull-get-role-role-path', "AWSCleanRoomsMLFullAccess, GetRoleAndListRolePoliciesToInspectServiceRole lists arn:aws:iam::*:role/role/cleanrooms-ml* (path /role/): iam:GetRole on role/role/cleanrooms-ml-reader matches literally. Allowed.", 'iam:GetRole', f'arn:aws:iam::{A}:role/role/cleanrooms-ml-reader', 'allowed', 'GetRoleAndListRolePoliciesToInspectServiceRole')
mpcase(MF, 'mlfull-get-role-no-path-denied', "AWSCleanRoomsMLFullAccess: iam:GetRole on role/cleanrooms-ml-reader (no path) matches neither role/service-role/cleanrooms-ml* nor role/role/cleanrooms-ml*. Implicit deny.", 'iam:GetRole', f'arn:aws:iam::{A}:role/cleanrooms-ml-reader', 'implicitDeny')
mpcase(MF, 'mlfull-get-policy-cleanroomsml', "AWSCleanRoomsMLFullAccess, GetPolicyToInspectServiceRolePolicy: iam:GetPolicy on policy/*cleanroomsml*; policy/my-cleanroomsml-policy. Allowed.", 'iam:GetPolicy', f'arn:aws:iam::{A}:policy/my-cleanroomsml-policy', 'allowed', 'GetPolicyToInspectServiceRolePolicy')
mpcase(MF, 'mlfull-get-policy-hyphenated-denied', "AWSCleanRoomsMLFullAccess: policy/my-cleanrooms-ml-policy does not contain 'cleanroomsml' (hyphen). Implicit deny.", 'iam:GetPolicy', f'arn:aws:iam::{A}:policy/my-cleanrooms-ml-policy', 'implicitDeny')
mpcase(MF, 'mlfull-pick-s3-location', "AWSCleanRoomsMLFullAccess, ConsolePickS3Location: s3:ListBucket on arn:aws:s3:::*cleanrooms-ml*; bucket my-cleanrooms-ml-output. Allowed.", 's3:ListBucket', 'arn:aws:s3:::my-cleanrooms-ml-output', 'allowed', 'ConsolePickS3Location')
mpcase(MF, 'mlfull-describe-ecr', "AWSCleanRoomsMLFullAccess, ConsoleDescribeECRRepositories: ecr:DescribeRepositories on arn:aws:ecr:*:*:repository/*. Allowed.", 'ecr:DescribeRepositories', f'arn:aws:ecr:us-east-1:{A}:repository/my-model', 'allowed', 'ConsoleDescribeECRRepositories')
mpcase(MF, 'mlfull-pass-collaboration', "AWSCleanRoomsMLFullAccess, PassCleanRoomsResources: cleanrooms:PassCollaboration. Allowed.", 'cleanrooms:PassCollaboration', COLL, 'allowed', 'PassCleanRoomsResources')
mpcase(MF, 'mlfull-start-protected-query-denied', "AWSCleanRoomsMLFullAccess does not grant Clean Rooms querying: cleanrooms:StartProtectedQuery. Implicit deny.", 'cleanrooms:StartProtectedQuery', MEMB, 'implicitDeny')
MR = 'AWSCleanRoomsMLReadOnlyAccess'
mpcase(MR, 'mlread-get-audience-model', "AWSCleanRoomsMLReadOnlyAccess, CleanRoomsMLRead: cleanrooms-ml:GetAudienceModel matches cleanrooms-ml:Get*. Allowed.", 'cleanrooms-ml:GetAudienceModel', f'arn:aws:cleanrooms-ml:us-east-1:{A}:audience-model/f6a7b8c9-0123-45fa-bcde-EXAMPLE66666', 'allowed', 'CleanRoomsMLRead')
mpcase(MR, 'mlread-list-training-datasets', "AWSCleanRoomsMLReadOnlyAccess: cleanrooms-ml:ListTrainingDatasets matches List*. Allowed.", 'cleanrooms-ml:ListTrainingDatasets', '*', 'allowed', 'CleanRoomsMLRead')
mpcase(MR, 'mlread-get-cam-policy', "AWSCleanRoomsMLReadOnlyAccess: cleanrooms-ml:GetConfiguredAudienceModelPolicy matches Get*. Allowed.", 'cleanrooms-ml:GetConfiguredAudienceModelPolicy', CAM, 'allowed', 'CleanRoomsMLRead')
mpcase(MR, 'mlread-create-training-dataset-denied', "AWSCleanRoomsMLReadOnlyAccess: cleanrooms-ml:CreateTrainingDataset is a write. Implicit deny.", 'cleanrooms-ml:CreateTrainingDataset', '*', 'implicitDeny')
mpcase(MR, 'mlread-start-audience-generation-job-denied', "AWSCleanRoomsMLReadOnlyAccess: cleanrooms-ml:StartAudienceGenerationJob. Implicit deny.", 'cleanrooms-ml:StartAudienceGenerationJob', CAM, 'implicitDeny')
mpcase(MR, 'mlread-pass-membership', "AWSCleanRoomsMLReadOnlyAccess, PassCleanRoomsResources: cleanrooms:PassMembership. Allowed.", 'cleanrooms:PassMembership', MEMB, 'allowed', 'PassCleanRoomsResources')
mpcase(MR, 'mlread-get-cama', "AWSCleanRoomsMLReadOnlyAccess, CleanRoomsConsoleNavigation: cleanrooms:GetConfiguredAudienceModelAssociation. Allowed.", 'cleanrooms:GetConfiguredAudienceModelAssociation', CAMA, 'allowed', 'CleanRoomsConsoleNavigation')
mpcase(MR, 'mlread-get-schema-not-listed', "AWSCleanRoomsMLReadOnlyAccess lists specific cleanrooms actions only; cleanrooms:GetSchema is not among them. Implicit deny.", 'cleanrooms:GetSchema', COLL, 'implicitDeny')
write(T, cases)
