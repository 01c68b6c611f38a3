/**
 * Reading compiled ARM templates in tests: every resource of the main template and of its nested module
 * deployments, with the module path that holds it, plus a resolver for the simple variable references Bicep emits.
 */
export type Json = Record<string, unknown>;

export interface ArmTemplate {
  parameters?: Record<string, { type: string; defaultValue?: unknown }>;
  variables?: Record<string, unknown>;
  resources: Json[] | Record<string, Json>;
  outputs?: Record<string, { type: string; value: unknown }>;
}

export interface LocatedResource {
  /** Module deployment names from main to the template holding the resource; [] for main itself. */
  modulePath: string[];
  template: ArmTemplate;
  resource: Json;
}

function resourceList(template: ArmTemplate): Json[] {
  return Array.isArray(template.resources) ? template.resources : Object.values(template.resources);
}

export function allResources(template: ArmTemplate, modulePath: string[] = []): LocatedResource[] {
  const out: LocatedResource[] = [];
  for (const resource of resourceList(template)) {
    out.push({ modulePath, template, resource });
    if (resource.type === 'Microsoft.Resources/deployments') {
      const props = resource.properties as Json;
      out.push(...allResources(props.template as ArmTemplate, [...modulePath, String(resource.name)]));
    }
  }
  return out;
}

export function resourcesOfType(template: ArmTemplate, type: string): LocatedResource[] {
  return allResources(template).filter((r) => String(r.resource.type).toLowerCase() === type.toLowerCase());
}

/** The one resource of that type; fails the test when there is none or several. */
export function single(template: ArmTemplate, type: string): LocatedResource {
  const found = resourcesOfType(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/** The nested template of module `name` in main. */
export function moduleTemplate(main: ArmTemplate, name: string): { deployment: Json; template: ArmTemplate } {
  const deployment = resourceList(main).find((r) => r.type === 'Microsoft.Resources/deployments' && r.name === name);
  if (!deployment) throw new Error(`no module deployment named ${name}`);
  return { deployment, template: (deployment.properties as Json).template as ArmTemplate };
}

/** What main passes to module `name` for parameter `param` (an ARM expression string or a literal). */
export function moduleArgument(main: ArmTemplate, name: string, param: string): unknown {
  const { deployment } = moduleTemplate(main, name);
  const params = (deployment.properties as Json).parameters as Record<string, { value: unknown }>;
  return params[param]?.value;
}

/**
 * Resolves `[variables('a')]` and `[variables('a').b]` (recursively through arrays of such expressions);
 * anything else is returned unchanged.
 */
export function resolveVariables(template: ArmTemplate, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveVariables(template, v));
  if (typeof value !== 'string') return value;
  const m = /^\[variables\('([^']+)'\)((?:\.[A-Za-z0-9_]+)*)\]$/.exec(value);
  if (!m) return value;
  let current: unknown = template.variables?.[m[1]!];
  for (const key of (m[2] ?? '').split('.').filter(Boolean)) current = (current as Json | undefined)?.[key];
  return resolveVariables(template, current);
}

/** The module deployment inside module `appModule` of main that merges the app's settings (infra/modules/app-settings.bicep). */
export function appSettingsDeployment(main: ArmTemplate, appModule: string): { deployment: Json; appTemplate: ArmTemplate } {
  const { template: appTemplate } = moduleTemplate(main, appModule);
  const found = resourceList(appTemplate).filter((r) => r.type === 'Microsoft.Resources/deployments' && String(r.name).includes('appSettings-'));
  if (found.length !== 1) throw new Error(`expected one app settings deployment in module ${appModule}, found ${found.length}`);
  return { deployment: found[0]!, appTemplate };
}

/** The app settings module `appModule` manages: the managedSettings it gives its app settings deployment, variables resolved. */
export function managedAppSettings(main: ArmTemplate, appModule: string): Record<string, string> {
  const { deployment, appTemplate } = appSettingsDeployment(main, appModule);
  const params = (deployment.properties as Json).parameters as Record<string, { value: unknown }>;
  return resolveVariables(appTemplate, params.managedSettings?.value) as Record<string, string>;
}
