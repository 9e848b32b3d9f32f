/**
 * An instance as DescribeInstances and RunInstances show it, from its row, its doc and what
 * lives elsewhere (tags, volumes, an Elastic IP), with the state derived against the clock.
 * A stopped instance has no public address; a terminated one keeps no network interface.
 */
import type {
  Instance,
  InstanceBlockDeviceMapping,
  InstanceNetworkInterface,
  InstanceStateName,
  StateReason,
  Tag,
} from '@aws-sdk/client-ec2';
import { privateDnsName, publicDnsName } from './instance-dns.js';
import type { InstanceDoc, InstanceRow } from './instance-records.js';
import { stateAt, stateOf, userInitiatedReason } from './instance-state.js';

/** What an instance's view needs besides its row and doc. */
export interface ViewContext {
  accountId: string;
  region: string;
  now: number;
}

export interface InstanceExtras {
  tags: Tag[];
  volumes: {
    DeviceName: string;
    VolumeId: string;
    Status: string;
    AttachTime: Date;
    DeleteOnTermination: boolean;
  }[];
  elasticIp?: string;
  /** RunInstances' answer shows each instance as the launch leaves it: pending, no public address
   * yet, whatever the boot time (even 0). */
  launching?: boolean;
}

const PENDING_REASON: StateReason = { Code: 'pending', Message: 'pending' };
const USER_SHUTDOWN: StateReason = {
  Code: 'Client.UserInitiatedShutdown',
  Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
};

export function currentState(row: InstanceRow, now: number): InstanceStateName {
  return stateAt(row.transition, row.settles_at, now);
}

/** The public address the instance shows now, if any. */
export function publicIpOf(
  row: InstanceRow,
  state: InstanceStateName,
  elasticIp?: string,
): string | undefined {
  if (state === 'terminated' || state === 'shutting-down') return undefined;
  if (elasticIp) return elasticIp;
  return state === 'stopped' || state === 'stopping' ? undefined : (row.public_ip ?? undefined);
}

export function instanceView(
  row: InstanceRow,
  doc: InstanceDoc,
  extras: InstanceExtras,
  view: ViewContext,
): Instance {
  const state = extras.launching ? 'pending' : currentState(row, view.now);
  const gone = state === 'terminated';
  const publicIp = extras.launching ? undefined : publicIpOf(row, state, extras.elasticIp);
  return {
    InstanceId: row.instance_id,
    ImageId: row.image_id,
    State: stateOf(state),
    PrivateDnsName: gone ? '' : privateDnsName(row.private_ip, view.region),
    PublicDnsName: publicIp ? publicDnsName(publicIp, view.region) : '',
    StateTransitionReason: row.transition === 'pending' ? '' : userInitiatedReason(row.transition_at),
    KeyName: row.key_name ?? undefined,
    AmiLaunchIndex: row.launch_index,
    ProductCodes: [],
    InstanceType: row.instance_type as Instance['InstanceType'],
    LaunchTime: new Date(row.launched_at),
    Placement: {
      AvailabilityZone: row.availability_zone,
      GroupName: doc.placementGroup ?? '',
      Tenancy: doc.tenancy as 'default',
    },
    Monitoring: { State: doc.monitoring ? 'enabled' : 'disabled' },
    SubnetId: gone ? undefined : row.subnet_id,
    VpcId: gone ? undefined : row.vpc_id,
    PrivateIpAddress: gone ? undefined : row.private_ip,
    PublicIpAddress: publicIp,
    StateReason: stateReason(row, state),
    Architecture: doc.architecture as Instance['Architecture'],
    RootDeviceType: 'ebs',
    RootDeviceName: doc.rootDeviceName,
    BlockDeviceMappings: extras.volumes.map(blockDevice),
    VirtualizationType: doc.virtualizationType as Instance['VirtualizationType'],
    ClientToken: doc.clientToken,
    Tags: extras.tags.length > 0 ? extras.tags : undefined,
    SecurityGroups: gone ? [] : doc.groups,
    SourceDestCheck: doc.sourceDestCheck,
    Hypervisor: 'xen',
    IamInstanceProfile: doc.iamInstanceProfile,
    NetworkInterfaces: gone ? [] : [networkInterface(row, doc, publicIp, extras.elasticIp, view)],
    EbsOptimized: doc.ebsOptimized,
    EnaSupport: doc.enaSupport,
    CpuOptions: doc.cpuOptions,
    CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    HibernationOptions: { Configured: false },
    MetadataOptions: {
      // the options apply a moment after launch; a waiter never needs to see that
      State: state === 'pending' ? 'pending' : 'applied',
      ...doc.metadataOptions,
    },
    EnclaveOptions: { Enabled: false },
    BootMode: doc.bootMode as Instance['BootMode'],
    // EC2 writes `windows`; the SDK's enum spells it `Windows`
    Platform: doc.platform as Instance['Platform'],
    PlatformDetails: doc.platformDetails,
    UsageOperation: 'RunInstances',
    UsageOperationUpdateTime: new Date(doc.eniAttachedAt),
    PrivateDnsNameOptions: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    MaintenanceOptions: { AutoRecovery: 'default' },
    CurrentInstanceBootMode: doc.architecture === 'arm64' ? 'uefi' : 'legacy-bios',
  };
}

function stateReason(row: InstanceRow, state: InstanceStateName): StateReason | undefined {
  if (row.transition !== 'pending') return USER_SHUTDOWN;
  return state === 'pending' ? PENDING_REASON : undefined;
}

export function blockDevice(volume: InstanceExtras['volumes'][number]): InstanceBlockDeviceMapping {
  return {
    DeviceName: volume.DeviceName,
    Ebs: {
      AttachTime: volume.AttachTime,
      DeleteOnTermination: volume.DeleteOnTermination,
      Status: volume.Status as 'attached',
      VolumeId: volume.VolumeId,
    },
  };
}

function networkInterface(
  row: InstanceRow,
  doc: InstanceDoc,
  publicIp: string | undefined,
  elasticIp: string | undefined,
  view: ViewContext,
): InstanceNetworkInterface {
  const association = publicIp
    ? {
        IpOwnerId: elasticIp ? view.accountId : 'amazon',
        PublicDnsName: publicDnsName(publicIp, view.region),
        PublicIp: publicIp,
      }
    : undefined;
  const privateDns = privateDnsName(row.private_ip, view.region);
  return {
    Association: association,
    Attachment: {
      AttachTime: new Date(doc.eniAttachedAt),
      AttachmentId: doc.eniAttachmentId,
      DeleteOnTermination: doc.eniDeleteOnTermination,
      DeviceIndex: 0,
      Status: 'attached',
      NetworkCardIndex: 0,
    },
    Description: doc.eniDescription,
    Groups: doc.groups,
    Ipv6Addresses: [],
    MacAddress: doc.macAddress,
    NetworkInterfaceId: row.eni_id,
    OwnerId: view.accountId,
    PrivateDnsName: privateDns,
    PrivateIpAddress: row.private_ip,
    PrivateIpAddresses: [
      {
        Association: association,
        Primary: true,
        PrivateDnsName: privateDns,
        PrivateIpAddress: row.private_ip,
      },
    ],
    SourceDestCheck: doc.sourceDestCheck,
    Status: 'in-use',
    SubnetId: row.subnet_id,
    VpcId: row.vpc_id,
    InterfaceType: 'interface',
  };
}
