"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatDate } from "../format";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { QueryBoundary } from "../ui/query-boundary";
import { SecretDialog } from "../ui/secret-dialog";
import { DeliveryLog } from "./delivery-log";
import { NoticeSettingsForm, type ShownSecret } from "./notice-settings-form";

/** An org's notices: how it hears (settings) and what it was told (the delivery log). */
export function NoticesView({ orgId }: { orgId: number }) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.notices.settings.queryOptions({ orgId }));
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardTitle>How this org is told</CardTitle>
        <QueryBoundary query={settings} error="The notice settings could not be loaded">
          {(data) => <NoticeSettingsForm settings={data} onSecret={setSecret} />}
        </QueryBoundary>
      </Card>
      <Card>
        <CardTitle>Delivery log</CardTitle>
        <DeliveryLog orgId={orgId} />
      </Card>
      <SecretDialog
        secret={
          secret && {
            title: "Webhook signing secret",
            description: `Created ${formatDate(secret.createdAt)}. Give it to the receiver to verify each notice (Standard Webhooks); it is not shown again.`,
            label: "Signing secret",
            value: secret.secret,
          }
        }
        onClose={() => setSecret(null)}
      />
    </div>
  );
}
