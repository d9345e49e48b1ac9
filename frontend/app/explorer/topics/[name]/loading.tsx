import { Loading } from '../../../ui/states';

export default function PageLoading() {
  return <Loading />;
}
