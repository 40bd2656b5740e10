/** One running instance of a service; url = http://host:port. */
export interface ServiceInstance {
  service: string;
  id: string;
  url: string;
}

export interface Discovery {
  /** Base URLs of the instances that pass their health checks. */
  resolve(service: string): Promise<string[]>;
  register(instance: ServiceInstance): Promise<void>;
  deregister(instance: ServiceInstance): Promise<void>;
  close(): Promise<void>;
}
