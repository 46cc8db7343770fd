package rules

// Type tokens of the pulumi-aws v6 resources the rules inspect, as registered by the SDK.
const (
	typeSecurityGroup            = "aws:ec2/securityGroup:SecurityGroup"
	typeSecurityGroupRule        = "aws:ec2/securityGroupRule:SecurityGroupRule"
	typeSecurityGroupIngressRule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeDefaultSecurityGroup     = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	typeNetworkACL               = "aws:ec2/networkAcl:NetworkAcl"
	typeNetworkACLRule           = "aws:ec2/networkAclRule:NetworkAclRule"
	typeDefaultNetworkACL        = "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl"
	typeInstance                 = "aws:ec2/instance:Instance"
	typeEBSVolume                = "aws:ebs/volume:Volume"
	typeKeyPair                  = "aws:ec2/keyPair:KeyPair"
	typeEIP                      = "aws:ec2/eip:Eip"
	typeEIPAssociation           = "aws:ec2/eipAssociation:EipAssociation" //nolint:gosec // a type token
	typeSubnet                   = "aws:ec2/subnet:Subnet"
	typeVPC                      = "aws:ec2/vpc:Vpc"
	typeVPCEndpoint              = "aws:ec2/vpcEndpoint:VpcEndpoint"
	typeFlowLog                  = "aws:ec2/flowLog:FlowLog"
	typeBucket                   = "aws:s3/bucket:Bucket"
	typeBucketV2                 = "aws:s3/bucketV2:BucketV2"
	typeBucketPublicAccessBlock  = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	typeBucketPolicy             = "aws:s3/bucketPolicy:BucketPolicy"
	typeBucketVersioningV2       = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	typeBucketEncryptionV2       = "aws:s3/bucketServerSideEncryptionConfigurationV2:" +
		"BucketServerSideEncryptionConfigurationV2"
	typeKMSKey      = "aws:kms/key:Key"
	typeLogGroup    = "aws:cloudwatch/logGroup:LogGroup"
	typeSSMDocument = "aws:ssm/document:Document"
	typeIAMPolicy   = "aws:iam/policy:Policy"
	typeIAMRole     = "aws:iam/role:Role"
	typeRolePolicy  = "aws:iam/rolePolicy:RolePolicy"
	typeUserPolicy  = "aws:iam/userPolicy:UserPolicy"
	typeGroupPolicy = "aws:iam/groupPolicy:GroupPolicy"
)
