export { IstiodRemoteClusters } from './IstiodRemoteClusters';
