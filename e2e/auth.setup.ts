import { test as setup } from "@playwright/test";
import { signIn, storageStateOf, type DemoRole } from "./support";

for (const role of ["admin", "admin2", "operator", "viewer"] satisfies DemoRole[]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signIn(page, role);
    await page.context().storageState({ path: storageStateOf(role) });
  });
}
