/**
 * Built-in Entra directory roles the stand-in knows: display name -> role template id.
 * Fixtures name roles by display name; Graph answers with these template ids
 * (directoryRoles.roleTemplateId, roleAssignments.roleDefinitionId).
 */
export const ROLE_TEMPLATES: Readonly<Record<string, string>> = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Privileged Authentication Administrator': '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Helpdesk Administrator': '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  'Authentication Administrator': 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  'Password Administrator': '966707d0-3269-4727-9be2-8c3a10f19b9d',
  'Exchange Administrator': '29232cdf-9323-42fd-ade2-1d097af3e4de',
  'Exchange Recipient Administrator': '31392ffb-586c-42d1-9346-e59415a2cc4e',
  'Groups Administrator': 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  'License Administrator': '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  'Security Administrator': '194ae4cb-b126-40b2-bd5b-6091b380977d',
  'SharePoint Administrator': 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  'Teams Administrator': '69091246-20e8-4a56-aa4d-066075b2a7a8',
  'Intune Administrator': '3a2c62db-5318-420d-8d74-23affee5d9d5',
  'Billing Administrator': 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Cloud Application Administrator': '158c047a-c907-4556-b7ef-446551a6b5f7',
  'Conditional Access Administrator': 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  'Global Reader': 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  'Directory Readers': '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  'Guest Inviter': '95e79109-95c0-4d8e-aee3-d01accf2d47b',
  'Message Center Reader': '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b',
  'Reports Reader': '4a5d8f65-41da-4de4-8968-e035b65339cf',
  'Usage Summary Reports Reader': '75934031-6c7e-415a-99d7-48dbd49e875e',
};

export const ROLE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'Global Administrator': 'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
  'Helpdesk Administrator': 'Can reset passwords for non-administrators and Helpdesk Administrators.',
  'User Administrator': 'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
  'Authentication Administrator': 'Can access to view, set and reset authentication method information for any non-admin user.',
  'Privileged Authentication Administrator': 'Can access to view, set and reset authentication method information for any user (admin or non-admin).',
};

export function isKnownRole(name: string): boolean {
  return Object.hasOwn(ROLE_TEMPLATES, name);
}

export function roleTemplateId(name: string): string {
  const id = ROLE_TEMPLATES[name];
  if (!id) throw new Error(`unknown directory role '${name}'`);
  return id;
}

export function roleNameByTemplateId(templateId: string): string | undefined {
  return Object.entries(ROLE_TEMPLATES).find(([, id]) => id === templateId.toLowerCase())?.[0];
}
