/**
 * The DNS names EC2 gives an address: us-east-1 keeps its historical domains
 * (`ip-10-0-0-12.ec2.internal`, `ec2-54-1-2-3.compute-1.amazonaws.com`); every other region
 * names itself (`ip-10-0-0-12.eu-west-1.compute.internal`,
 * `ec2-54-1-2-3.eu-west-1.compute.amazonaws.com`).
 */

export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

export function publicDnsName(ip: string, region: string): string {
  const host = `ec2-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1'
    ? `${host}.compute-1.amazonaws.com`
    : `${host}.${region}.compute.amazonaws.com`;
}
