/**
 * Common product names → Graph skuPartNumber (String_Id), from Microsoft's "Product names and service
 * plan identifiers for licensing" list (https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference). Data only. Names are resolved against the
 * customer's own /subscribedSkus, never against this table alone, because several product names
 * map to more than one SKU (e.g. Business Basic: O365_BUSINESS_ESSENTIALS and SMB_BUSINESS_ESSENTIALS);
 * when a tenant holds more than one of them the caller is asked which one.
 * `aliases` are other spellings technicians type; none is a bare fragment such as "E3".
 */
export interface LicenseProduct {
  name: string;
  partNumbers: readonly string[];
  aliases?: readonly string[];
}

export const LICENSE_PRODUCTS: readonly LicenseProduct[] = [
  { name: 'Microsoft 365 Business Basic', partNumbers: ['O365_BUSINESS_ESSENTIALS', 'SMB_BUSINESS_ESSENTIALS'], aliases: ['M365 Business Basic', 'Office 365 Business Essentials'] },
  { name: 'Microsoft 365 Business Standard', partNumbers: ['O365_BUSINESS_PREMIUM', 'SMB_BUSINESS_PREMIUM'], aliases: ['M365 Business Standard', 'Office 365 Business Premium'] },
  { name: 'Microsoft 365 Business Premium', partNumbers: ['SPB'], aliases: ['M365 Business Premium', 'Business Premium'] },
  { name: 'Microsoft 365 Apps for business', partNumbers: ['O365_BUSINESS', 'SMB_BUSINESS'], aliases: ['Office 365 Business'] },
  { name: 'Microsoft 365 Apps for enterprise', partNumbers: ['OFFICESUBSCRIPTION'], aliases: ['Office 365 ProPlus'] },
  { name: 'Office 365 E1', partNumbers: ['STANDARDPACK'], aliases: ['O365 E1'] },
  { name: 'Office 365 E3', partNumbers: ['ENTERPRISEPACK'], aliases: ['O365 E3'] },
  { name: 'Office 365 E5', partNumbers: ['ENTERPRISEPREMIUM'], aliases: ['O365 E5'] },
  { name: 'Office 365 E5 without Audio Conferencing', partNumbers: ['ENTERPRISEPREMIUM_NOPSTNCONF'] },
  { name: 'Office 365 F3', partNumbers: ['DESKLESSPACK'], aliases: ['O365 F3'] },
  { name: 'Microsoft 365 E3', partNumbers: ['SPE_E3'], aliases: ['M365 E3'] },
  { name: 'Microsoft 365 E5', partNumbers: ['SPE_E5'], aliases: ['M365 E5'] },
  { name: 'Microsoft 365 F1', partNumbers: ['M365_F1'], aliases: ['M365 F1'] },
  { name: 'Microsoft 365 F3', partNumbers: ['SPE_F1'], aliases: ['M365 F3'] },
  { name: 'Microsoft 365 E5 Security', partNumbers: ['IDENTITY_THREAT_PROTECTION'] },
  { name: 'Microsoft 365 E5 Compliance', partNumbers: ['INFORMATION_PROTECTION_COMPLIANCE'] },
  { name: 'Microsoft 365 Copilot', partNumbers: ['Microsoft_365_Copilot'], aliases: ['Copilot for Microsoft 365'] },
  { name: 'Exchange Online (Plan 1)', partNumbers: ['EXCHANGESTANDARD'], aliases: ['Exchange Online Plan 1', 'Exchange Plan 1'] },
  { name: 'Exchange Online (Plan 2)', partNumbers: ['EXCHANGEENTERPRISE'], aliases: ['Exchange Online Plan 2', 'Exchange Plan 2'] },
  { name: 'Exchange Online Kiosk', partNumbers: ['EXCHANGEDESKLESS'] },
  { name: 'Exchange Online Archiving for Exchange Online', partNumbers: ['EXCHANGEARCHIVE_ADDON'], aliases: ['Exchange Online Archiving'] },
  { name: 'Exchange Online Protection', partNumbers: ['EOP_ENTERPRISE'] },
  { name: 'Microsoft Teams Essentials', partNumbers: ['Teams_Ess'] },
  { name: 'Microsoft Teams Enterprise', partNumbers: ['Microsoft_Teams_Enterprise_New'] },
  { name: 'Microsoft Teams Exploratory', partNumbers: ['TEAMS_EXPLORATORY'] },
  { name: 'Microsoft Teams Phone Standard', partNumbers: ['MCOEV'], aliases: ['Teams Phone Standard', 'Teams Phone'] },
  { name: 'Microsoft Teams Audio Conferencing', partNumbers: ['MCOMEETADV'], aliases: ['Audio Conferencing'] },
  { name: 'Microsoft Teams Rooms Pro', partNumbers: ['Microsoft_Teams_Rooms_Pro'], aliases: ['Teams Rooms Pro'] },
  { name: 'Power BI Pro', partNumbers: ['POWER_BI_PRO'] },
  { name: 'Power BI Premium Per User', partNumbers: ['PBI_PREMIUM_PER_USER'] },
  { name: 'Microsoft Fabric (Free)', partNumbers: ['POWER_BI_STANDARD'], aliases: ['Power BI (free)', 'Power BI Free'] },
  { name: 'Power Automate Free', partNumbers: ['FLOW_FREE'], aliases: ['Microsoft Power Automate Free'] },
  { name: 'Visio Plan 1', partNumbers: ['VISIO_PLAN1_DEPT'], aliases: ['Visio Online Plan 1'] },
  { name: 'Visio Plan 2', partNumbers: ['VISIOCLIENT'], aliases: ['Visio Online Plan 2'] },
  { name: 'Project Plan 1', partNumbers: ['PROJECT_P1'] },
  { name: 'Project Plan 3', partNumbers: ['PROJECTPROFESSIONAL'], aliases: ['Project Online Professional'] },
  { name: 'Project Plan 5', partNumbers: ['PROJECTPREMIUM'], aliases: ['Project Online Premium'] },
  { name: 'Enterprise Mobility + Security E3', partNumbers: ['EMS'], aliases: ['EMS E3', 'Enterprise Mobility and Security E3'] },
  { name: 'Enterprise Mobility + Security E5', partNumbers: ['EMSPREMIUM'], aliases: ['EMS E5', 'Enterprise Mobility and Security E5'] },
  { name: 'Microsoft Entra ID P1', partNumbers: ['AAD_PREMIUM'], aliases: ['Azure Active Directory Premium P1', 'Azure AD Premium P1', 'Entra ID P1'] },
  { name: 'Microsoft Entra ID P2', partNumbers: ['AAD_PREMIUM_P2'], aliases: ['Azure Active Directory Premium P2', 'Azure AD Premium P2', 'Entra ID P2'] },
  { name: 'Microsoft Intune Plan 1', partNumbers: ['INTUNE_A'], aliases: ['Intune', 'Microsoft Intune', 'Intune Plan 1'] },
  { name: 'Microsoft Defender for Business', partNumbers: ['MDE_SMB'], aliases: ['Defender for Business'] },
  { name: 'Microsoft Defender for Endpoint P1', partNumbers: ['DEFENDER_ENDPOINT_P1'], aliases: ['Defender for Endpoint P1'] },
  { name: 'Microsoft Defender for Endpoint P2', partNumbers: ['WIN_DEF_ATP'], aliases: ['Defender for Endpoint P2'] },
  { name: 'Microsoft Defender for Office 365 (Plan 1)', partNumbers: ['ATP_ENTERPRISE'], aliases: ['Defender for Office 365 Plan 1'] },
  { name: 'Microsoft Defender for Office 365 (Plan 2)', partNumbers: ['THREAT_INTELLIGENCE'], aliases: ['Defender for Office 365 Plan 2'] },
  { name: 'Windows 10/11 Enterprise E3', partNumbers: ['WIN10_VDA_E3'], aliases: ['Windows Enterprise E3'] },
];

/** Lower-case, single spaces, no surrounding space: how names are compared. */
export function normaliseProductName(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

const byName = new Map<string, LicenseProduct>();
for (const product of LICENSE_PRODUCTS) {
  for (const name of [product.name, ...(product.aliases ?? [])]) byName.set(normaliseProductName(name), product);
}

export function productByName(name: string): LicenseProduct | undefined {
  return byName.get(normaliseProductName(name));
}

export function productByPartNumber(partNumber: string): LicenseProduct | undefined {
  const wanted = partNumber.toLowerCase();
  return LICENSE_PRODUCTS.find((p) => p.partNumbers.some((n) => n.toLowerCase() === wanted));
}

export function productNameForPartNumber(partNumber: string): string | undefined {
  return productByPartNumber(partNumber)?.name;
}
