import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';

export interface SectionCardProps {
  title: string;
  subheader?: ReactNode;
  action?: ReactNode;
  children: ReactNode;
  noPadding?: boolean;
}

/** An InfoCard whose title is a real `<h2>`, so headings give the page its outline. */
export function SectionCard(props: SectionCardProps) {
  return (
    <InfoCard
      title={props.title}
      subheader={props.subheader}
      action={props.action}
      noPadding={props.noPadding}
      titleTypographyProps={{ component: 'h2', variant: 'h5' }}
      subheaderTypographyProps={{ color: 'textPrimary', variant: 'body2' }}
    >
      {props.children}
    </InfoCard>
  );
}
